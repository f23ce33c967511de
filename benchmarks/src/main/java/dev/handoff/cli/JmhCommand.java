package dev.handoff.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code handoff jmh [JMH args]}: runs the benchmarks of this jar with JMH's own command line, to
 * which every argument is passed ({@code jmh -h} prints JMH's help, {@code jmh -l} lists the
 * benchmarks, {@code jmh -f 1 -wi 1 -i 1 OnnxSingleRow} runs a quick pass of one class).
 */
@Command(name = "jmh", description = "Runs the JMH benchmarks; every argument goes to JMH (try: jmh -h, jmh -l).")
final class JmhCommand implements Callable<Integer> {

    @Unmatched
    private List<String> jmhArguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(jmhArguments.toArray(String[]::new));
        return 0;
    }
}
