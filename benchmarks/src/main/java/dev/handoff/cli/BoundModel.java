package dev.handoff.cli;

import dev.handoff.InputField;
import dev.handoff.ModelLoadException;
import dev.handoff.Scorer;
import dev.handoff.internal.LogText;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The model of {@code score} and {@code verify}, loaded once and bound to the columns of a CSV header before
 * any row is scored: each input takes the column of its name. A header that does not fit the model is
 * an error here ({@link Scorer#checkColumns}), not a column of failed rows later:
 * <ul>
 * <li>an input without a column, unless {@code --allow-missing-columns} (then it is missing in every row);
 * <li>a column that matches an input only up to case or separators ({@code PLAN} for {@code plan}): "did you mean";
 * <li>under {@code --strict-keys}, a column the model does not read ({@code --id} excepted).
 * </ul>
 * A model that takes one tensor of values per row (a scikit-learn model exported with one {@code [N, F]}
 * input, a PyTorch model) has no column names: {@code --features} names them, or {@code --by-position}
 * names them after the CSV columns in header order and prints that binding, so that a reordered file is
 * never scored silently.
 *
 * <p>A CSV row goes to the library as a record ({@link #record}): a map view of its cells, nothing copied,
 * so that rows are scored through the library's one way for many rows, {@link Scorer#score(java.util.stream.Stream)}.
 *
 * <pre>{@code
 * try (BoundModel model = BoundModel.open(modelOptions, rows.header(), idColumn, rows.source(), err);
 *      Stream<Prediction> outcomes = model.scorer().score(csvRows.map(row -> model.record(row.cells())))) {
 *     ...
 * }
 * }</pre>
 */
final class BoundModel implements AutoCloseable {
    private final Scorer scorer;
    /** Per input with a column, that column's index in the header. */
    private final Map<String, Integer> columnOf;

    private BoundModel(Scorer scorer, List<String> header) {
        this.scorer = scorer;
        Map<String, Integer> columns = new HashMap<>();
        for (InputField input : scorer.inputs()) {
            int column = header.indexOf(input.name());
            if (column >= 0) {
                columns.put(input.name(), column);
            }
        }
        this.columnOf = Map.copyOf(columns);
    }

    /**
     * Loads the model (once) and binds it to {@code header}; {@code idColumn} (may be {@code null}) is copied,
     * not scored. The {@code --by-position} binding and a note on columns allowed missing go to {@code err}.
     *
     * @throws IllegalArgumentException when the header does not fit the model, with what to change
     */
    static BoundModel open(ModelOptions options, List<String> header, String idColumn, String source, PrintWriter err) {
        Path file = options.model();
        if (options.byPosition()) {
            return openByPosition(options, header, idColumn, source, err);
        }
        Scorer scorer = Scorer.load(file, options.scorerOptions());
        try {
            InputField tensor = singleTensor(scorer);
            if (tensor != null) {
                throw new IllegalArgumentException(file + " takes one tensor '" + tensor.name() + "' of shape " + tensor.shape()
                        + " per row, whose columns have no names: name them in tensor order with --features NAME,..."
                        + ", or fill the tensor from the CSV columns in header order with --by-position");
            }
            checkHeader(scorer, header, idColumn, options.strictKeys(), options.allowMissingColumns(), source, err);
            return new BoundModel(scorer, header);
        } catch (RuntimeException e) {
            scorer.close();
            throw e;
        }
    }

    /**
     * {@code --by-position}: the model is loaded once, with the CSV columns (in header order, {@code --id} left
     * out) as the names of its tensor's columns, so that a row fails naming its column, as under {@code --features}.
     * Only when that load fails is the model loaded as it is, to say why in the command line's words.
     */
    private static BoundModel openByPosition(ModelOptions options, List<String> header, String idColumn, String source,
                                             PrintWriter err) {
        if (options.hasFeatures()) {
            throw new IllegalArgumentException("--by-position and --features exclude each other: --features names the tensor's "
                    + "columns, --by-position takes them in header order");
        }
        List<String> positional = new ArrayList<>(header);
        positional.remove(idColumn);
        Scorer scorer;
        try {
            scorer = Scorer.load(options.model(), options.scorerOptions(positional));
        } catch (ModelLoadException e) {
            explainByPosition(options, positional, source, idColumn != null);
            throw e;
        }
        err.println("handoff: --by-position fills the input tensor of " + options.model() + " from the columns of " + source
                + " in header order: " + binding(positional));
        err.flush();
        return new BoundModel(scorer, header);
    }

    /** Why {@code --by-position} does not fit the model, if that is why it did not load. */
    private static void explainByPosition(ModelOptions options, List<String> columns, String source, boolean withId) {
        InputField tensor;
        try (Scorer plain = Scorer.load(options.model(), options.scorerOptions())) {
            tensor = singleTensor(plain);
        } catch (ModelLoadException unusable) {
            return; // the model is unusable whatever the binding: the first failure says why
        }
        if (tensor == null) {
            throw new IllegalArgumentException("--by-position is for a model that takes one tensor of values per row; the inputs of "
                    + options.model() + " have names, and each takes the CSV column of its name");
        }
        if (columns.size() != tensor.elementsPerRow()) {
            throw new IllegalArgumentException(source + " has " + columns.size() + " columns" + (withId ? " besides --id" : "")
                    + ", but input '" + tensor.name() + "' of shape " + tensor.shape() + " takes " + tensor.elementsPerRow()
                    + " values per row; name the tensor's columns with --features");
        }
    }

    /** The model's one input when it is a tensor of several values per row, or {@code null}. */
    private static InputField singleTensor(Scorer scorer) {
        return scorer.inputs().size() == 1 && !scorer.inputs().get(0).isScalar() ? scorer.inputs().get(0) : null;
    }

    private static String binding(List<String> columns) {
        List<String> pairs = new ArrayList<>(columns.size());
        for (int j = 0; j < columns.size(); j++) {
            pairs.add("[" + j + "]=" + columns.get(j));
        }
        return String.join(", ", pairs);
    }

    /** The library's check of column names ({@link Scorer#checkColumns}), in the words of the command line. */
    private static void checkHeader(Scorer scorer, List<String> header, String idColumn, boolean strictKeys, boolean allowMissing,
                                    String source, PrintWriter err) {
        List<String> inputNames = scorer.inputs().stream().map(InputField::name).toList();
        Set<String> columns = new LinkedHashSet<>(header);
        if (idColumn != null && !inputNames.contains(idColumn)) {
            columns.remove(idColumn); // copied, not scored: never "not read by the model"
        }
        Scorer.ColumnCheck check = scorer.checkColumns(columns);
        if (!check.nearMisses().isEmpty()) {
            List<String> hints = new ArrayList<>();
            check.nearMisses().forEach((column, input) -> hints.add("'" + column + "' (did you mean '" + input + "'?)"));
            throw new IllegalArgumentException("the header of " + source + " does not fit the model: the column"
                    + (hints.size() == 1 ? " " : "s ") + String.join(", ", hints) + (hints.size() == 1 ? " is" : " are")
                    + " not an input of the model; input names are matched exactly");
        }
        if (strictKeys && !check.unreadColumns().isEmpty()) {
            List<String> unread = check.unreadColumns();
            String names = unread.stream().map(name -> "'" + LogText.safe(name, 80) + "'").collect(Collectors.joining(", "));
            throw new IllegalArgumentException("the header of " + source + " does not fit the model: the column"
                    + (unread.size() == 1 ? " " : "s ") + names + (unread.size() == 1 ? " is" : " are")
                    + " not read by the model; the model's inputs are " + inputNames + " (--strict-keys)");
        }
        List<String> missing = check.missingInputs();
        if (missing.isEmpty()) {
            return;
        }
        String names = missing.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
        String inputs = (missing.size() == 1 ? "input " : "inputs ") + names;
        if (!allowMissing) {
            throw new IllegalArgumentException("the header of " + source + " has no column for the " + inputs + " of the model"
                    + delimiterHint(header) + "; every row would be scored with " + (missing.size() == 1 ? "it" : "them")
                    + " missing. Add the column, or score anyway with --allow-missing-columns");
        }
        err.println("handoff: " + source + " has no column for the " + inputs + ": missing in every row (--allow-missing-columns)");
        err.flush();
    }

    /** A header read as one column because the file has another separator: say which flag reads it. */
    private static String delimiterHint(List<String> header) {
        if (header.size() != 1) {
            return "";
        }
        for (String separator : List.of(";", "\t", "|")) {
            if (header.get(0).contains(separator)) {
                String shown = separator.equals("\t") ? "tab" : "'" + separator + "'";
                return " (the header reads as the single column '" + LogText.safe(header.get(0), 80) + "': if the file is separated by " + shown
                        + ", give --delimiter " + shown + ")";
            }
        }
        return "";
    }

    /** The loaded model. */
    Scorer scorer() {
        return scorer;
    }

    /**
     * One CSV row (cells as written, in header order, as many as the header has columns) as a record for the
     * library: a view of the cells, each input reading the cell of its column.
     */
    Map<String, ?> record(List<String> cells) {
        return new CellRecord(columnOf, cells);
    }

    @Override
    public void close() {
        scorer.close();
    }
}
