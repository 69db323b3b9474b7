package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.misbehaving.UsesMonitors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scanner behind {@link MonitorBanTest} finds each way a class can use a monitor, and nothing else. */
class MonitorScannerTest {

    @Test
    void flagsSynchronizedMethodsAndBlocksIncludingInLambdas() {
        List<MonitorScanner.Violation> violations = MonitorScanner.scan(UsesMonitors.class);
        String fixture = UsesMonitors.class.getName();

        assertThat(violations).extracting(MonitorScanner.Violation::where, MonitorScanner.Violation::kind)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(fixture + "#synchronizedMethod",
                                MonitorScanner.Kind.SYNCHRONIZED_METHOD),
                        org.assertj.core.groups.Tuple.tuple(fixture + "#staticSynchronized",
                                MonitorScanner.Kind.SYNCHRONIZED_METHOD),
                        org.assertj.core.groups.Tuple.tuple(fixture + "#synchronizedBlock",
                                MonitorScanner.Kind.SYNCHRONIZED_BLOCK));
        assertThat(violations).filteredOn(v -> v.method().startsWith("lambda$synchronizedInALambda$"))
                .singleElement().extracting(MonitorScanner.Violation::kind)
                .isEqualTo(MonitorScanner.Kind.SYNCHRONIZED_BLOCK);
        assertThat(violations).as("exactly the four").hasSize(4)
                .noneMatch(v -> v.method().equals("free") || v.method().equals("<init>"));
    }

    @Test
    void aDirectoryScanReportsClassMethodPairs() {
        MonitorScanner.Report report = MonitorScanner.scanDirectory(
                MonitorScanner.classesDirectoryOf(UsesMonitors.class).resolve("dev/weft/misbehaving"));

        assertThat(report.classesScanned()).contains(UsesMonitors.class.getName());
        assertThat(report.violations()).extracting(MonitorScanner.Violation::where)
                .contains(UsesMonitors.class.getName() + "#synchronizedMethod",
                        UsesMonitors.class.getName() + "#synchronizedBlock");
        assertThat(report.violations()).extracting(MonitorScanner.Violation::toString)
                .contains(UsesMonitors.class.getName() + "#synchronizedMethod()I: synchronized method");
    }
}
