package dev.handoff.trust;

import dev.handoff.Prediction;
import dev.handoff.Scorer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Run in a fresh JVM by {@link AddingHandoffLeavesNoTraceTest}: loads each model file named on the command
 * line from its path, scores one churn record and prints {@code <file> label=<label>} per model, then
 * {@code sockets=<n>}: how many internet sockets the process holds open (Linux; -1 elsewhere).
 */
public final class LoadAndScoreMain {
    private LoadAndScoreMain() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, Object> record = Map.of("tenure_months", 14.0, "monthly_charges", 60.23, "total_charges", 759.35,
                "support_calls", 2.0, "age", 54.0, "plan", "plus", "region", "north", "payment_method", "crypto");
        for (String model : args) {
            try (Scorer scorer = Scorer.load(Path.of(model))) {
                Prediction p = scorer.score(record);
                System.out.println(Path.of(model).getFileName() + " label=" + p.label()
                        + " probability(1)=" + p.probability("1"));
            }
        }
        System.out.println("sockets=" + openSockets());
    }

    /**
     * The process's open internet sockets: its socket descriptors whose inode is in the kernel's TCP or UDP tables
     * (the JDK's own NIO keeps a Unix socket pair, which is no network traffic).
     */
    private static long openSockets() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        Set<String> internet = new HashSet<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path file = Path.of("/proc/self/net", table);
            if (Files.isReadable(file)) {
                Files.readAllLines(file).stream().skip(1).map(line -> line.trim().split("\\s+"))
                        .filter(columns -> columns.length > 9).forEach(columns -> internet.add(columns[9]));
            }
        }
        long sockets = 0;
        try (var all = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) all::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && internet.contains(target.substring(8, target.length() - 1))) {
                        sockets++;
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor, closed by now
                }
            }
        }
        return sockets;
    }
}
