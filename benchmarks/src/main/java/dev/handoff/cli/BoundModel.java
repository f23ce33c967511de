package dev.handoff.cli;

import dev.handoff.Batch;
import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.LogText;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The model of {@code score} and {@code verify}, loaded and bound to the columns of a CSV header before
 * any row is scored: each input takes the column of its name. A header that does not fit the model is
 * an error here, not a column of failed rows later:
 * <ul>
 * <li>an input without a column, unless {@code --allow-missing-columns} (then it is missing in every row);
 * <li>a column that matches an input only up to case or separators ({@code PLAN} for {@code plan}): "did you mean";
 * <li>under {@code --strict-keys}, a column the model does not read ({@code --id} excepted).
 * </ul>
 * A model that takes one tensor of values per row (a scikit-learn model exported with one {@code [N, F]}
 * input, a PyTorch model) has no column names: {@code --features} names them, or {@code --by-position}
 * takes the CSV columns in header order and prints that binding, so that a reordered file is never
 * scored silently.
 *
 * <pre>{@code
 * try (BoundModel model = BoundModel.open(modelOptions, rows.header(), idColumn, rows.source(), err)) {
 *     Predictions ps = model.score(chunkOfRows);
 * }
 * }</pre>
 */
final class BoundModel implements AutoCloseable {
    /** Rows per model call: big enough to make the call cost vanish, small enough for constant memory. */
    static final int BATCH_ROWS = 1024;

    private final Scorer scorer;
    private final String[] inputs;
    private final int[] columns;

    private BoundModel(Scorer scorer, List<String> header) {
        this.scorer = scorer;
        List<String> bound = scorer.inputs().stream().map(InputField::name).filter(header::contains).toList();
        this.inputs = bound.toArray(String[]::new);
        this.columns = bound.stream().mapToInt(header::indexOf).toArray();
    }

    /**
     * Loads the model and binds it to {@code header}; {@code idColumn} (may be {@code null}) is copied,
     * not scored. The {@code --by-position} binding and a note on columns allowed missing go to {@code err}.
     *
     * @throws IllegalArgumentException when the header does not fit the model, with what to change
     */
    static BoundModel open(ModelOptions options, List<String> header, String idColumn, String source, PrintWriter err) {
        Path file = options.model();
        ScorerOptions scorerOptions = options.scorerOptions();
        Scorer scorer = Scorer.load(file, scorerOptions);
        try {
            InputField tensor = scorer.inputs().size() == 1 && !scorer.inputs().get(0).isScalar() ? scorer.inputs().get(0) : null;
            if (options.byPosition()) {
                List<String> positional = new ArrayList<>(header);
                positional.remove(idColumn);
                checkPositional(options, tensor, positional, file, source, idColumn != null);
                scorer.close();
                scorer = Scorer.load(file, scorerOptions.toBuilder().featureNames(positional).build());
                err.println("handoff: --by-position binds input '" + tensor.name() + "' (shape " + tensor.shape() + ") to the columns of "
                        + source + " in header order: " + binding(tensor.name(), positional));
                err.flush();
            } else if (tensor != null) {
                throw new IllegalArgumentException(file + " takes one tensor '" + tensor.name() + "' of shape " + tensor.shape()
                        + " per row, whose columns have no names: name them in tensor order with --features NAME,..."
                        + ", or fill the tensor from the CSV columns in header order with --by-position");
            }
            checkHeader(scorer, header, idColumn, options.allowMissingColumns(), source, err);
            return new BoundModel(scorer, header);
        } catch (RuntimeException e) {
            scorer.close();
            throw e;
        }
    }

    private static void checkPositional(ModelOptions options, InputField tensor, List<String> columns, Path file, String source,
                                        boolean withId) {
        if (options.hasFeatures()) {
            throw new IllegalArgumentException("--by-position and --features exclude each other: --features names the tensor's "
                    + "columns, --by-position takes them in header order");
        }
        if (tensor == null) {
            throw new IllegalArgumentException("--by-position is for a model that takes one tensor of values per row; the inputs of "
                    + file + " have names, and each takes the CSV column of its name");
        }
        if (columns.size() != tensor.elementsPerRow()) {
            throw new IllegalArgumentException(source + " has " + columns.size() + " columns" + (withId ? " besides --id" : "")
                    + ", but input '" + tensor.name() + "' of shape " + tensor.shape() + " takes " + tensor.elementsPerRow()
                    + " values per row; name the tensor's columns with --features");
        }
    }

    private static String binding(String tensor, List<String> columns) {
        List<String> pairs = new ArrayList<>(columns.size());
        for (int j = 0; j < columns.size(); j++) {
            pairs.add(tensor + "[" + j + "]=" + columns.get(j));
        }
        return String.join(", ", pairs);
    }

    private static void checkHeader(Scorer scorer, List<String> header, String idColumn, boolean allowMissing, String source,
                                    PrintWriter err) {
        List<String> inputNames = scorer.inputs().stream().map(InputField::name).toList();
        Batch.Builder probe = Batch.builder(0); // no row: the library's own rules on column names, and no model call
        for (String column : header) {
            if (!column.equals(idColumn) || inputNames.contains(column)) {
                probe.strings(column, new String[0]);
            }
        }
        try {
            scorer.score(probe.build());
        } catch (InvalidInputException e) {
            throw new IllegalArgumentException("the header of " + source + " does not fit the model: " + e.problem()
                    + e.setting().map(s -> " (" + CliWording.flag(s) + ")").orElse(""), e);
        }
        List<String> missing = inputNames.stream().filter(name -> !header.contains(name)).toList();
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
     * Scores rows of the CSV file (cells as written, in header order; a row without cells, which the caller
     * fails, has every input missing) in one call through the columnar batch API: one outcome per row, in row order.
     */
    Predictions score(List<? extends List<String>> rows) {
        int n = rows.size();
        Batch.Builder batch = Batch.builder(n);
        for (int i = 0; i < inputs.length; i++) {
            int column = columns[i];
            String[] cells = new String[n];
            for (int r = 0; r < n; r++) {
                List<String> row = rows.get(r);
                cells[r] = column < row.size() ? row.get(column) : null;
            }
            batch.strings(inputs[i], cells);
        }
        return scorer.score(batch.build());
    }

    @Override
    public void close() {
        scorer.close();
    }
}
