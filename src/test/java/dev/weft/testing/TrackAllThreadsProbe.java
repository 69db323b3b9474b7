package dev.weft.testing;

import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM by {@code ThreadDumpsTest}: starts a virtual thread directly with the Thread API and prints
 * {@code seen} or {@code unseen} depending on whether a thread dump lists it. Exits 0 either way.
 */
final class TrackAllThreadsProbe {
    private TrackAllThreadsProbe() {}

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread probe = Thread.ofVirtual().name("weft-probe-direct").start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        boolean seen = ThreadDumps.threadsNamed("weft-probe-direct").stream()
                .anyMatch(t -> t.tid() == probe.threadId());
        System.out.println(seen ? "seen" : "unseen");
        release.countDown();
        probe.join();
    }
}
