package dev.weft.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * What a pinned carrier looks like, which pins are ours, and which test was running when one happened.
 *
 * <p><b>Which frames are ours.</b> A pin is ours when any frame of its stack belongs to a class whose name starts
 * with {@value #OURS} but not with {@value #EXEMPT}. The exemption is per frame, not per stack: infrastructure code
 * calling into the library that then pins is still caught. Test code in the library's packages ({@code
 * dev.weft.scope.*Test} and its helpers) counts as ours, on purpose: a test that pins a carrier distorts (or, on one
 * carrier, hangs) the very interleavings it means to prove, and a class name cannot tell test code from main code
 * in a shared package anyway. Only {@code dev.weft.testing} is exempt, because its self-tests pin on purpose to prove
 * the detector works; nothing else may live there.
 *
 * <p>Thread-safe.
 */
public final class Pinning {
    /** The prefix of our classes. */
    public static final String OURS = "dev.weft.";
    /** The prefix of the test infrastructure, whose self-tests pin deliberately. */
    public static final String EXEMPT = "dev.weft.testing.";

    private static final Set<List<Object>> REPORTED = ConcurrentHashMap.newKeySet();
    private static final ConcurrentLinkedDeque<TestWindow> WINDOWS = new ConcurrentLinkedDeque<>();
    private static final int MAX_WINDOWS = 10_000;

    private Pinning() {}

    /** One stack frame of a pinned virtual thread. {@code line} is -1 when unknown. */
    public record Frame(String className, String method, int line) {
        @Override
        public String toString() {
            return className + "." + method + (line >= 0 ? ":" + line : "");
        }
    }

    /**
     * One {@code jdk.VirtualThreadPinned} event. {@code frames} is innermost first and, like every JFR stack, at most
     * 64 frames deep unless {@code -XX:FlightRecorderOptions:stackdepth} says otherwise ({@code truncated} then).
     */
    public record Pin(long threadId, String threadName, Instant start, Duration duration, String reason,
            List<Frame> frames, boolean truncated) {}

    /** The span of one test, from before its {@code @BeforeEach} methods to after its {@code @AfterEach} methods. */
    public record TestWindow(String test, Instant start, Instant end) {}

    /** Whether {@code className} is ours in the sense of the class comment. */
    public static boolean isOurs(String className) {
        return className.startsWith(OURS) && !className.startsWith(EXEMPT);
    }

    /**
     * The frames of {@code pin} that are ours; empty when the pin is none of our business, which includes a pin while
     * the JVM loads a class (see {@link #whileLoadingAClass}) and a wait for another thread to finish initializing a
     * class (JDK 25 says {@code Waited for initialization of X by another thread}): like loading, it happens once per
     * class per JVM, to whichever threads first need the class at the same moment, which depends on test order. The
     * initializer itself runs on the other thread: if it blocks, that thread's pin (with its {@code <clinit>} frame)
     * is reported.
     */
    public static List<Frame> culprits(Pin pin) {
        if (whileLoadingAClass(pin) || waitingForAnotherThreadsInitializer(pin) || inTheJdksCriticalSection(pin)
                || brieflyInAClassInitializer(pin) || brieflyInsideAnotherLibrary(pin)) {
            return List.of();
        }
        return pin.frames().stream().filter(f -> isOurs(f.className())).toList();
    }

    /**
     * Whether the carrier was pinned because the thread was in a critical section ({@code Continuation.pin()}, an
     * internal API): JDK 25 reports it as {@code In critical section} or, when a preemption failed on it, as
     * {@code Freeze or preempt failed (2)} (2 is the critical-section code of {@code Continuation.Pinned}). Only the
     * JDK enters these (its scheduler, class loading and linking in the VM), never our code; seen on the first,
     * concurrent use of a class by several virtual threads.
     */
    static boolean inTheJdksCriticalSection(Pin pin) {
        return "In critical section".equals(pin.reason()) || "Freeze or preempt failed (2)".equals(pin.reason());
    }

    /** How long a pin inside a class initializer may last and still be the JVM's class loading, not our blocking. */
    static final Duration INITIALIZER_BLOCKS = Duration.ofMillis(10);

    /**
     * Whether the carrier was pinned inside a class initializer ({@code VM call to X.<clinit> on stack}) for less than
     * {@link #INITIALIZER_BLOCKS}. Every JDK pins a thread that blocks while it initializes a class. Our initializers
     * do no I/O and take no lock, so a short pin there is the JVM loading the classes the initializer touches while
     * another thread loads them too (seen: 41 us in {@code Reader.<clinit>} as eight sessions opened at once); an
     * initializer that blocks on real work does so for longer, and is reported.
     */
    static boolean brieflyInAClassInitializer(Pin pin) {
        return pin.reason() != null && pin.reason().contains("<clinit>")
                && pin.duration().compareTo(INITIALIZER_BLOCKS) < 0;
    }

    /** How long a pin inside another library's code may last and still be that library's brief bookkeeping. */
    static final Duration BRIEF_ELSEWHERE = Duration.ofMillis(20);

    /**
     * Whether the carrier was pinned for under {@link #BRIEF_ELSEWHERE} with another library's frame innermost (the
     * JDK's, Jetty's). Our own classes hold no monitor at all ({@code MonitorBanTest} scans their bytecode), so a pin
     * under legacy locking comes from code we call, which holds monitors briefly around its bookkeeping: seen, 3 us in
     * the JDK's {@code SelectorImpl.cancel} as Jetty's client closed a connection, and 1 us in Jetty's
     * {@code WriteFlusher.write} as the server finished a response, and 1.2 ms in a {@code BufferedOutputStream} as
     * java.util.logging's console handler (synchronized) wrote a warning to a busy standard error. Every JDK 21 user
     * of those libraries pins there. What this check still reports from other libraries is a pin that lasts: a monitor
     * held across real blocking, such as a full pipe.
     */
    static boolean brieflyInsideAnotherLibrary(Pin pin) {
        return pin.duration().compareTo(BRIEF_ELSEWHERE) < 0 && !pin.frames().isEmpty()
                && !isOurs(pin.frames().getFirst().className());
    }

    /** Whether the thread waited for a class that another thread was initializing: the JVM's wait, not ours. */
    static boolean waitingForAnotherThreadsInitializer(Pin pin) {
        return pin.reason() != null && pin.reason().startsWith("Waited for initialization of ")
                && pin.reason().endsWith(" by another thread");
    }

    /**
     * Whether the carrier was pinned inside a class loader's {@code loadClass}, reached before any frame of ours or
     * any class initializer (frames innermost first). Every JDK from 21 to 25 pins while it loads a class, once per
     * class per JVM: whether a test sees it depends on which test touched a class first, not on our code, so flagging
     * it made the check depend on test order (seen: Jackson's first deserialization inside a virtual caller). A
     * thread that blocks in a class initializer ({@code <clinit>}) is still ours to answer for.
     */
    static boolean whileLoadingAClass(Pin pin) {
        for (Frame f : pin.frames()) {
            if (isOurs(f.className()) || f.method().equals("<clinit>")) {
                return false;
            }
            if (f.method().startsWith("loadClass") && (f.className().equals("java.lang.ClassLoader")
                    || f.className().startsWith("jdk.internal.loader."))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Marks {@code pin} as reported and says whether it was new. Overlapping recordings (a nested class inside its
     * outer class, a launcher inside a test) see the same event; only the first to claim it reports it.
     *
     * <p>The identity of an event is its thread, reason, stack and duration, not its start time: JFR converts
     * timestamps to instants from each chunk's own start, so two recordings report the same event's start a few
     * nanoseconds apart (observed). Durations are tick differences and agree exactly. Two distinct pins that agree on
     * all four to the nanosecond would be reported once, which loses nothing that matters: the site is reported.
     */
    public static boolean claim(Pin pin) {
        return REPORTED.add(List.of(pin.threadId(), pin.reason(), pin.frames(), pin.duration()));
    }

    static void recordWindow(TestWindow window) {
        WINDOWS.addLast(window);
        while (WINDOWS.size() > MAX_WINDOWS) {
            WINDOWS.pollFirst();
        }
    }

    /** The tests whose windows contain {@code instant}, or "no test (between tests)". */
    static String testsRunningAt(Instant instant) {
        List<String> tests = new ArrayList<>();
        for (TestWindow w : WINDOWS) { // oldest first: a test inside a test ends, and is recorded, first
            if (!instant.isBefore(w.start()) && !instant.isAfter(w.end())) {
                tests.add(w.test());
            }
        }
        return tests.isEmpty() ? "no test (between tests, or in a class-level method)" : String.join(" inside ", tests);
    }

    /** The failure message for {@code pins}, all of them ours, seen while {@code subject} ran. */
    static String describe(String subject, List<Pin> pins) {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder().append(pins.size()).append(" pinned carrier(s) with frames in ")
                .append(OURS).append("* (outside ").append(EXEMPT).append("*) while ").append(subject).append(" ran:");
        for (Pin pin : pins) {
            sb.append(nl).append("  pinned ").append(pin.duration().toNanos() / 1_000).append(" us on \"")
                    .append(pin.threadName()).append("\" #").append(pin.threadId()).append(", reason: ")
                    .append(pin.reason()).append(", during ").append(testsRunningAt(pin.start()))
                    .append(nl).append("    our frames: ").append(culprits(pin));
            for (Frame frame : pin.frames()) {
                sb.append(nl).append("      at ").append(frame);
            }
            if (pin.truncated()) {
                sb.append(nl).append("      ... (truncated by JFR)");
            }
        }
        return sb.toString();
    }
}
