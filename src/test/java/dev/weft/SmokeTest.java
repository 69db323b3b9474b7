package dev.weft;
import org.junit.jupiter.api.*;
class SmokeTest { @Test @Tag("concurrency") void runs() { Assertions.assertEquals("one".equals(System.getProperty("weft.carriers")) ? "1" : null, System.getProperty("jdk.virtualThreadScheduler.parallelism")); System.err.println(Runtime.version()); } }
