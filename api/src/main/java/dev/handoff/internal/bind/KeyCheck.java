package dev.handoff.internal.bind;

import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.Scorer;
import dev.handoff.Scorer.ColumnCheck;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks the keys of a record (or the column names of a batch, or a file's header) against the
 * model's input names: a name that matches an input only up to case, '_', '-', '.' or spaces while
 * that input itself is absent is a near miss; under strict keys every name the model does not read
 * is refused.
 */
public final class KeyCheck {
    private final Set<String> inputNames;
    /** The input names in model order, for messages. */
    private final List<String> inputNameList;
    /** Input names by their {@link #loose} form, for "did you mean". */
    private final Map<String, String> inputsByLooseName;
    private final boolean strictKeys;

    public KeyCheck(List<InputField> fields, boolean strictKeys) {
        Map<String, String> loose = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (InputField field : fields) {
            names.add(field.name());
            loose.putIfAbsent(loose(field.name()), field.name());
        }
        this.inputNames = Set.copyOf(names);
        this.inputNameList = fields.stream().map(InputField::name).toList();
        this.inputsByLooseName = Map.copyOf(loose);
        this.strictKeys = strictKeys;
    }

    boolean strict() {
        return strictKeys;
    }

    /** Whether {@code name} is an input name, exactly. */
    boolean isInput(String name) {
        return inputNames.contains(name);
    }

    boolean allInputs(Collection<String> names) {
        return inputNames.containsAll(names);
    }

    /**
     * The input that {@code name} nearly matches (up to case and separators) while {@code given} lacks
     * that input; {@code null} when none does.
     */
    public String nearMiss(String name, Collection<String> given) {
        if (name == null || inputNames.contains(name)) {
            return null;
        }
        String near = inputsByLooseName.get(loose(name));
        return near != null && !given.contains(near) ? near : null;
    }

    /** See {@link Scorer#checkColumns}: inputs without a column, columns not read, near misses. */
    public ColumnCheck checkColumns(Collection<String> columns) {
        Set<String> given = new LinkedHashSet<>(columns);
        List<String> missing = new ArrayList<>();
        for (String input : inputNameList) {
            if (!given.contains(input)) {
                missing.add(input);
            }
        }
        List<String> unread = new ArrayList<>();
        Map<String, String> near = new LinkedHashMap<>();
        for (String column : given) {
            if (column == null || inputNames.contains(column)) {
                continue;
            }
            String input = nearMiss(column, given);
            if (input != null) {
                near.put(column, input);
            } else {
                unread.add(column);
            }
        }
        return new ColumnCheck(missing, unread, near);
    }

    /**
     * Rejects keys the model does not read: under strict keys every one; otherwise those that nearly
     * match an absent input.
     *
     * @param what "key" or "column", for the message
     */
    void check(Set<String> keys, int row, String what) {
        List<String> unread = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        String nearInput = null;
        for (String key : keys) {
            if (key == null || inputNames.contains(key)) {
                continue;
            }
            String near = nearMiss(key, keys);
            if (near != null) {
                hints.add("'" + key + "' (did you mean '" + near + "'?)");
                nearInput = near;
            } else if (strictKeys) {
                unread.add("'" + key + "'");
            }
        }
        if (!hints.isEmpty()) {
            // field(): the input the key was meant for, when there is one
            throw new InvalidInputException(hints.size() == 1 ? nearInput : null, null, row, "the " + what
                    + (hints.size() == 1 ? " " : "s ") + String.join(", ", hints) + " " + (hints.size() == 1 ? "is" : "are")
                    + " not an input of the model; input names are matched exactly");
        }
        if (!unread.isEmpty()) {
            throw new InvalidInputException(null, null, row, "the " + what + (unread.size() == 1 ? " " : "s ")
                    + String.join(", ", unread) + (unread.size() == 1 ? " is" : " are") + " not read by the model; "
                    + "the model's inputs are " + inputNameList, InvalidInputException.Setting.STRICT_KEYS);
        }
    }

    /** The name with case, '_', '-', '.' and white space ignored: {@code TENURE-Months} and {@code tenure_months} meet. */
    private static String loose(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '-' && c != '.' && !Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
