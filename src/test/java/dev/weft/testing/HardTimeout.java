package dev.weft.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the hard timeout of a test method, or of every test and lifecycle method of a class (and of its
 * {@code @Nested} classes). Without it the timeout is the configuration parameter or system property
 * {@value WeftTestExtension#TIMEOUT_SECONDS} (default {@value WeftTestExtension#DEFAULT_TIMEOUT_SECONDS}).
 *
 * <p>The timeout bounds each invocation separately: the constructor, each {@code @BeforeAll}/{@code @BeforeEach}
 * method, the test itself, each {@code @AfterEach}/{@code @AfterAll} method, each dynamic test. When it fires, the
 * {@link WeftTestExtension} dumps all threads (virtual ones included) to {@code target/thread-dumps/}, prints the dump,
 * interrupts the test thread and fails with a {@link HardTimeoutError} naming the file.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
public @interface HardTimeout {
    /** The timeout in seconds; must be positive. */
    long seconds();
}
