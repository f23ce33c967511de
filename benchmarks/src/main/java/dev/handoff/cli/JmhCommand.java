package dev.handoff.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code handoff jmh [JMH args]}: runs the benchmarks of this jar with JMH's own command line, to
 * which every argument but {@code --help} is passed ({@code jmh -h} prints JMH's help, {@code jmh -l}
 * lists the benchmarks, {@code jmh -f 1 -wi 1 -i 1 OnnxSingleRow} runs a quick pass of one class).
 */
@Command(name = "jmh", description = {
        "Runs the JMH benchmarks of this jar; every argument goes to JMH's own command line.",
        "Try: jmh -l (list the benchmarks), jmh -h (JMH's options), jmh -f 1 -wi 1 -i 1 SingleRow (a quick pass)."},
        parameterListHeading = "", customSynopsis = "handoff jmh [--help] [JMH ARGUMENTS...]")
final class JmhCommand implements Callable<Integer> {

    @Option(names = "--help", usageHelp = true, description = "Shows this help (JMH's own: -h).")
    private boolean help;

    @Unmatched
    private List<String> jmhArguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(jmhArguments.toArray(String[]::new));
        return 0;
    }
}
