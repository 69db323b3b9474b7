package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scope.TaskScope;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No monitors in our main code: not one {@code synchronized} method or block in {@code dev.weft.**}. On JDK 21 a
 * virtual thread that blocks while holding a monitor pins its carrier; {@code ReentrantLock} never does (see
 * STYLE.md, "No synchronized on anything that can block"). A static ban is simpler to keep than a case-by-case
 * proof that a given monitor never guards anything that blocks.
 */
class MonitorBanTest {

    @Test
    void noMainClassUsesAMonitor() {
        Path classes = MonitorScanner.classesDirectoryOf(TaskScope.class);
        MonitorScanner.Report report = MonitorScanner.scanDirectory(classes.resolve("dev/weft"));

        assertThat(report.classesScanned()).as("the scan found our classes in " + classes)
                .contains("dev.weft.scope.TaskScope", "dev.weft.scope.TaskScopeImpl")
                .allMatch(name -> name.startsWith("dev.weft."));
        assertThat(report.violations())
                .as("methods using monitors; use java.util.concurrent.locks instead:%n%s", report.violations()
                        .stream().map(MonitorScanner.Violation::toString).collect(Collectors.joining("\n")))
                .isEmpty();
    }
}
