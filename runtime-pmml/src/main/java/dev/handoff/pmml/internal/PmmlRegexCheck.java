package dev.handoff.pmml.internal;

import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.spi.ScorerProvider.ModelSource;
import org.dmg.pmml.Apply;
import org.dmg.pmml.Constant;
import org.dmg.pmml.Expression;
import org.dmg.pmml.PMML;
import org.dmg.pmml.VisitorAction;
import org.dmg.pmml.tree.Node;
import org.jpmml.model.visitors.AbstractVisitor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Refuses the regular expressions of PMML's {@code matches} and {@code replace} functions that can
 * backtrack for minutes on a short input, before the model serves a record.
 *
 * <p>Java's regex engine backtracks, and a repeated group that itself contains a repetition, such as
 * {@code (a+)+} or {@code ^(.*a){10}$}, tries exponentially (or polynomially, to a high power) many
 * ways to split a string that does not match: one 200-character record then holds a thread for
 * minutes, and no regex match can be interrupted. Such patterns are refused, as are patterns that do
 * not compile and patterns computed from fields (a record could supply its own). Possessive
 * quantifiers ({@code a++}) and atomic groups ({@code (?>...)}) do not backtrack and are accepted.
 *
 * <p>Not detected: overlapping alternatives under a repetition ({@code (a|ab)*}) and long sequences of
 * unbounded repetitions over the same characters ({@code .*x.*y.*z...}); these are slow only for
 * patterns no exporter writes, and are left to the documentation.
 */
final class PmmlRegexCheck {
    private static final List<String> REGEX_FUNCTIONS = List.of("matches", "replace");

    private PmmlRegexCheck() {
    }

    static void check(ModelSource source, PMML pmml) {
        new AbstractVisitor() {
            @Override
            public VisitorAction visit(Apply apply) {
                if (REGEX_FUNCTIONS.contains(apply.getFunction()) && apply.hasExpressions() && apply.getExpressions().size() >= 2) {
                    checkPattern(source, apply.getFunction(), apply.getExpressions().get(1));
                }
                return super.visit(apply);
            }

            @Override
            public VisitorAction visit(Node node) {
                return VisitorAction.SKIP; // predicates hold no Apply; skipping keeps big ensembles fast
            }
        }.applyTo(pmml);
    }

    private static void checkPattern(ModelSource source, String function, Expression pattern) {
        if (!(pattern instanceof Constant constant) || constant.getValue() == null) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML, "the pattern of the function '" + function
                    + "' is computed (" + pattern.getClass().getSimpleName() + "), not a constant, so a record could supply "
                    + "a pattern that backtracks for minutes; only constant patterns are accepted");
        }
        String regex = String.valueOf(constant.getValue());
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML, "the pattern '" + regex + "' of the function '"
                    + function + "' is not a valid regular expression: " + e.getDescription(), e);
        }
        String nested = nestedRepetition(regex);
        if (nested != null) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML, "the pattern '" + regex + "' of the function '"
                    + function + "' repeats a group that itself repeats (" + nested + "), which makes the regex engine "
                    + "backtrack exponentially on inputs that do not match; rewrite it without the nested repetition, "
                    + "or make the inner one possessive (a++) or atomic ((?>...))");
        }
    }

    /** One open group while reading a pattern: whether something inside it repeats. */
    private static final class Group {
        final int start;
        final boolean atomic;
        boolean repeatsInside;

        Group(int start, boolean atomic) {
            this.start = start;
            this.atomic = atomic;
        }
    }

    /**
     * The first group that can repeat more than once ({@code *}, {@code +}, {@code {n}},
     * {@code {n,}}, {@code {n,m}} with m above 1) and contains a repetition of variable length, or
     * {@code null}. {@code (\d{3})+} is accepted: its inner repetition has one length only.
     */
    static String nestedRepetition(String regex) {
        Deque<Group> open = new ArrayDeque<>();
        Group top = new Group(0, false);
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            Group closed = null;
            if (c == '\\') {
                i = skipEscape(regex, i);
            } else if (c == '[') {
                i = skipClass(regex, i);
            } else if (c == '(') {
                open.push(top);
                top = new Group(i, regex.startsWith("(?>", i));
                i++;
                continue;
            } else if (c == ')') {
                closed = top;
                top = open.isEmpty() ? new Group(0, false) : open.pop();
                i++;
            } else if (c == '|') {
                i++;
                continue;
            } else {
                i++;
            }
            Quantifier q = Quantifier.at(regex, i);
            boolean inner = closed != null && closed.repeatsInside && !closed.atomic;
            if (q != null) {
                i = q.end;
                if (q.repeats() && inner) {
                    return regex.substring(closed.start, i);
                }
            }
            top.repeatsInside |= inner || (q != null && q.repeats() && q.max > q.min);
        }
        return null;
    }

    /** A quantifier: {@code max} is {@link Integer#MAX_VALUE} when unbounded; {@code end} is the index after it. */
    private record Quantifier(int min, int max, boolean possessive, int end) {
        /** Whether it can match its atom more than once, backtracking over how many. */
        boolean repeats() {
            return max > 1 && !possessive;
        }

        static Quantifier at(String regex, int i) {
            if (i >= regex.length()) {
                return null;
            }
            char c = regex.charAt(i);
            int min;
            int max;
            int end;
            if (c == '*' || c == '+' || c == '?') {
                min = c == '+' ? 1 : 0;
                max = c == '?' ? 1 : Integer.MAX_VALUE;
                end = i + 1;
            } else if (c == '{') {
                int close = regex.indexOf('}', i);
                if (close < 0) {
                    return null;
                }
                String body = regex.substring(i + 1, close);
                int comma = body.indexOf(',');
                try {
                    min = Integer.parseInt((comma < 0 ? body : body.substring(0, comma)).trim());
                    String upper = comma < 0 ? body : body.substring(comma + 1).trim();
                    max = upper.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(upper.trim());
                } catch (NumberFormatException e) {
                    return null; // not a quantifier: a literal brace
                }
                end = close + 1;
            } else {
                return null;
            }
            boolean possessive = end < regex.length() && regex.charAt(end) == '+';
            if (possessive || end < regex.length() && regex.charAt(end) == '?') {
                end++; // a lazy quantifier backtracks all the same
            }
            return new Quantifier(min, max, possessive, end);
        }
    }

    private static int skipEscape(String regex, int i) {
        if (regex.startsWith("\\Q", i)) {
            int end = regex.indexOf("\\E", i + 2);
            return end < 0 ? regex.length() : end + 2;
        }
        return Math.min(regex.length(), i + 2);
    }

    /** Skips a character class, with nested classes ({@code [a-z&&[^e]]}) and escapes. */
    private static int skipClass(String regex, int i) {
        int depth = 0;
        int j = i;
        while (j < regex.length()) {
            char c = regex.charAt(j);
            if (c == '\\') {
                j = skipEscape(regex, j);
                continue;
            }
            if (c == '[') {
                depth++;
                if (depth == 1 && j + 1 < regex.length() && regex.charAt(j + 1) == '^') {
                    j++;
                }
                if (depth == 1 && j + 1 < regex.length() && regex.charAt(j + 1) == ']') {
                    j++; // a ']' first in a class is a literal
                }
            } else if (c == ']') {
                depth--;
                if (depth == 0) {
                    return j + 1;
                }
            }
            j++;
        }
        return regex.length();
    }
}
