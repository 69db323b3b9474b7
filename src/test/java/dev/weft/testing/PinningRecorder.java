package dev.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A JFR recording of {@code jdk.VirtualThreadPinned} with threshold 0 and stack traces, from {@link #start()} to
 * {@link #stop()}.
 *
 * <p>Guarantee: {@link #stop()} returns every pinned event any thread committed between the two calls. Stopping a
 * recording rotates the JFR chunk, which flushes every thread's buffer into it, so nothing committed before
 * {@code stop} is missed (this is how the JDK's own JFR tests read events). A pin is committed when it ends: a virtual
 * thread still pinned at {@code stop} is not reported (a leak check or a hard timeout catches that one).
 *
 * <p>Why not a {@code jdk.jfr.consumer.RecordingStream}: a stream delivers events only after JFR's periodic flush,
 * which runs at most once per second (JDK 25 {@code FlushTask} clamps the interval to 1 s) and which nothing public can
 * trigger for the stream's parser; forcing chunk rotations still left the 90th percentile at about 1 s per wait
 * (measured). Waiting for that after every test would cost up to a second per test. A recording per test class costs
 * about 10 ms per class instead (start, stop, dump, parse; measured on JDK 25, 2 cores).
 *
 * <p>Not thread-safe: one owner starts and stops it.
 */
public final class PinningRecorder implements AutoCloseable {
    static final String EVENT = "jdk.VirtualThreadPinned";

    private final Object recording; // a jdk.jfr.Recording
    private boolean stopped;

    private PinningRecorder(Object recording) {
        this.recording = recording;
    }

    /**
     * Starts recording pinned virtual threads.
     *
     * @throws IllegalStateException when JFR is unavailable: the check refuses to pass vacuously
     */
    public static PinningRecorder start() {
        if (!(Boolean) Reflective.call(Jfr.IS_AVAILABLE, null)) {
            throw new IllegalStateException("JFR is not available in this JVM; the pinning check cannot run");
        }
        Object recording = Jfr.newRecording();
        Reflective.call(Jfr.SET_NAME, recording, "weft pinning check");
        Object settings = Reflective.call(Jfr.ENABLE, recording, EVENT);
        settings = Reflective.call(Jfr.WITH_THRESHOLD, settings, Duration.ZERO);
        Reflective.call(Jfr.WITH_STACK_TRACE, settings);
        Reflective.call(Jfr.SET_TO_DISK, recording, true);
        Reflective.call(Jfr.START, recording);
        return new PinningRecorder(recording);
    }

    /**
     * Stops recording and returns every pin committed since {@link #start()}.
     *
     * @throws IllegalStateException if already stopped
     */
    public List<Pinning.Pin> stop() {
        if (stopped) {
            throw new IllegalStateException("Already stopped");
        }
        stopped = true;
        Path file = null;
        try {
            Reflective.call(Jfr.STOP, recording);
            file = Files.createTempFile("weft-pinning", ".jfr");
            Reflective.call(Jfr.DUMP, recording, file);
            List<Pinning.Pin> pins = new ArrayList<>();
            for (Object event : (List<?>) Reflective.call(Jfr.READ_ALL_EVENTS, null, file)) {
                Object type = Reflective.call(Jfr.EVENT_TYPE, event);
                if (EVENT.equals(Reflective.call(Jfr.TYPE_NAME, type))) {
                    pins.add(toPin(event));
                }
            }
            return pins;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the pinning recording", e);
        } finally {
            Reflective.call(Jfr.CLOSE, recording);
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    /** Discards the recording without reading it. Idempotent. */
    @Override
    public void close() {
        stopped = true;
        Reflective.call(Jfr.CLOSE, recording);
    }

    private static Pinning.Pin toPin(Object event) {
        Object thread = Reflective.call(Jfr.THREAD, event);
        Object stack = Reflective.call(Jfr.STACK_TRACE, event);
        List<Pinning.Frame> frames = new ArrayList<>();
        boolean truncated = false;
        if (stack != null) {
            truncated = (Boolean) Reflective.call(Jfr.TRUNCATED, stack);
            for (Object frame : (List<?>) Reflective.call(Jfr.FRAMES, stack)) {
                Object method = Reflective.call(Jfr.FRAME_METHOD, frame);
                Object type = Reflective.call(Jfr.DECLARING_TYPE, method);
                frames.add(new Pinning.Frame((String) Reflective.call(Jfr.CLASS_NAME, type),
                        (String) Reflective.call(Jfr.METHOD_NAME, method),
                        (Integer) Reflective.call(Jfr.LINE_NUMBER, frame)));
            }
        }
        String reason = (Boolean) Reflective.call(Jfr.HAS_FIELD, event, "pinnedReason")
                ? (String) Reflective.call(Jfr.GET_STRING, event, "pinnedReason")
                : "(not given before JDK 24)";
        long threadId = thread == null ? -1 : (Long) Reflective.call(Jfr.JAVA_THREAD_ID, thread);
        String threadName = thread == null ? "?" : String.valueOf(Reflective.call(Jfr.JAVA_NAME, thread));
        return new Pinning.Pin(threadId, threadName, (Instant) Reflective.call(Jfr.START_TIME, event),
                (Duration) Reflective.call(Jfr.DURATION, event), reason, List.copyOf(frames), truncated);
    }

    /** The parts of {@code jdk.jfr} we use, reached through {@link Reflective} (module dev.weft does not read it). */
    private static final class Jfr {
        static final Class<?> RECORDING = Reflective.type("jdk.jfr.Recording");
        static final Class<?> SETTINGS = Reflective.type("jdk.jfr.EventSettings");
        static final Class<?> OBJECT = Reflective.type("jdk.jfr.consumer.RecordedObject");
        static final Class<?> EVENT = Reflective.type("jdk.jfr.consumer.RecordedEvent");
        static final Class<?> THREAD_TYPE = Reflective.type("jdk.jfr.consumer.RecordedThread");
        static final Class<?> STACK_TYPE = Reflective.type("jdk.jfr.consumer.RecordedStackTrace");
        static final Class<?> FRAME_TYPE = Reflective.type("jdk.jfr.consumer.RecordedFrame");
        static final Class<?> RECORDED_METHOD = Reflective.type("jdk.jfr.consumer.RecordedMethod");
        static final Class<?> CLASS_TYPE = Reflective.type("jdk.jfr.consumer.RecordedClass");

        static final Method IS_AVAILABLE = Reflective.method(Reflective.type("jdk.jfr.FlightRecorder"), "isAvailable");
        static final Method SET_NAME = Reflective.method(RECORDING, "setName", String.class);
        static final Method ENABLE = Reflective.method(RECORDING, "enable", String.class);
        static final Method WITH_THRESHOLD = Reflective.method(SETTINGS, "withThreshold", Duration.class);
        static final Method WITH_STACK_TRACE = Reflective.method(SETTINGS, "withStackTrace");
        static final Method SET_TO_DISK = Reflective.method(RECORDING, "setToDisk", boolean.class);
        static final Method START = Reflective.method(RECORDING, "start");
        static final Method STOP = Reflective.method(RECORDING, "stop");
        static final Method DUMP = Reflective.method(RECORDING, "dump", Path.class);
        static final Method CLOSE = Reflective.method(RECORDING, "close");
        static final Method READ_ALL_EVENTS = Reflective.method(Reflective.type("jdk.jfr.consumer.RecordingFile"),
                "readAllEvents", Path.class);
        static final Method EVENT_TYPE = Reflective.method(EVENT, "getEventType");
        static final Method TYPE_NAME = Reflective.method(Reflective.type("jdk.jfr.EventType"), "getName");
        static final Method START_TIME = Reflective.method(EVENT, "getStartTime");
        static final Method DURATION = Reflective.method(EVENT, "getDuration");
        static final Method THREAD = Reflective.method(EVENT, "getThread");
        static final Method STACK_TRACE = Reflective.method(EVENT, "getStackTrace");
        static final Method HAS_FIELD = Reflective.method(OBJECT, "hasField", String.class);
        static final Method GET_STRING = Reflective.method(OBJECT, "getString", String.class);
        static final Method JAVA_THREAD_ID = Reflective.method(THREAD_TYPE, "getJavaThreadId");
        static final Method JAVA_NAME = Reflective.method(THREAD_TYPE, "getJavaName");
        static final Method TRUNCATED = Reflective.method(STACK_TYPE, "isTruncated");
        static final Method FRAMES = Reflective.method(STACK_TYPE, "getFrames");
        static final Method FRAME_METHOD = Reflective.method(FRAME_TYPE, "getMethod");
        static final Method LINE_NUMBER = Reflective.method(FRAME_TYPE, "getLineNumber");
        static final Method DECLARING_TYPE = Reflective.method(RECORDED_METHOD, "getType");
        static final Method METHOD_NAME = Reflective.method(RECORDED_METHOD, "getName");
        static final Method CLASS_NAME = Reflective.method(CLASS_TYPE, "getName");

        private Jfr() {}

        static Object newRecording() {
            try {
                return RECORDING.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot create a JFR recording", e);
            }
        }
    }
}
