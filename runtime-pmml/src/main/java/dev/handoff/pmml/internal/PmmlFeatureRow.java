package dev.handoff.pmml.internal;

import dev.handoff.spi.InputColumns;
import org.dmg.pmml.DataType;
import org.dmg.pmml.InvalidValueTreatmentMethod;

/**
 * The tree engine's feature row of a PMML model at scoring time: the {@link PmmlFeatureChain}s that
 * {@link PmmlFeatures} read from the document, frozen, run on each row. It keeps only what a row needs: the reader's
 * maps of the document's fields go with the load.
 *
 * <pre>{@code
 * PmmlFeatureRow row = features.freeze();
 * if (row.integersFit(columns) && row.filtersDefined(columns)) {
 *     boolean ok = row.fill(columns, 0, x, 0);   // one row of features, NaN = missing; false: JPMML rejects the row
 * }
 * }</pre>
 */
final class PmmlFeatureRow {
    private final PmmlFeatureChain[] chains;

    PmmlFeatureRow(PmmlFeatureChain[] chains) {
        this.chains = chains;
    }

    /**
     * Writes row {@code row}'s features to {@code x[offset ..]}; NaN where a value is missing. Returns false when a
     * string value is invalid under {@code returnInvalid}: JPMML rejects the row.
     */
    boolean fill(InputColumns columns, int row, double[] x, int offset) {
        for (int f = 0; f < chains.length; f++) {
            PmmlFeatureChain c = chains[f];
            double d;
            if (c.inputType == DataType.STRING) {
                String s = columns.strings(c.input)[row];
                if (s != null && c.valid != null && !c.valid.contains(s)) {
                    if (c.invalid == InvalidValueTreatmentMethod.RETURN_INVALID) {
                        return false;
                    }
                    if (c.invalid == InvalidValueTreatmentMethod.AS_MISSING) {
                        s = null;
                    }
                }
                for (PmmlDerivedFields.StringMap map : c.maps) {
                    s = map.apply(s);
                }
                if (c.toNumber == null) {
                    x[offset + f] = s == null ? Double.NaN : code(c, s);
                    continue;
                }
                d = c.toNumber.apply(s);
            } else {
                if (c.inputType == DataType.INTEGER) {
                    d = columns.isMissing(c.input, row) ? Double.NaN : (double) columns.longs(c.input)[row];
                    if (c.validIntegers != null && d == d
                            && java.util.Arrays.binarySearch(c.validIntegers, columns.longs(c.input)[row]) < 0) {
                        // not a listed Value: JPMML's invalidValueTreatment (InputFieldUtil.performInvalidValueTreatment)
                        if (c.invalid == InvalidValueTreatmentMethod.RETURN_INVALID) {
                            return false;
                        }
                        if (c.invalid == InvalidValueTreatmentMethod.AS_MISSING) {
                            d = Double.NaN;
                        }
                    }
                } else {
                    d = columns.doubleAt(c.input, row);
                }
                if (d != d) {
                    d = c.replacement;
                } else if (c.inputType == DataType.FLOAT) {
                    d = (float) d;
                }
                // JPMML holds every float or double value with a positive zero (ScalarValue.filterValue)
                d += 0d;
            }
            byte[] op = c.op;
            for (int k = 0; k < op.length; k++) {
                double k2 = c.constant[k];
                switch (op[k]) {
                    case PmmlFeatureChain.TO_FLOAT -> d = (float) d;
                    case PmmlFeatureChain.ADD -> d = d + k2;
                    case PmmlFeatureChain.SUBTRACT -> d = d - k2;
                    case PmmlFeatureChain.SUBTRACT_FROM -> d = k2 - d;
                    case PmmlFeatureChain.MULTIPLY -> d = d * k2;
                    case PmmlFeatureChain.DIVIDE -> d = d / k2;
                    case PmmlFeatureChain.DIVIDE_INTO -> d = k2 / d;
                    default -> d = c.step[k].apply(d);
                }
                d += 0d;
            }
            x[offset + f] = d;
        }
        return true;
    }

    /**
     * Whether every whole number in the call fits JPMML's {@code Integer}: a larger one goes to JPMML as a
     * {@code Long}, and the whole call is then left to JPMML, whose answer for it this class does not copy.
     */
    boolean integersFit(InputColumns columns) {
        int n = columns.rowCount();
        for (PmmlFeatureChain c : chains) {
            if (c.inputType != DataType.INTEGER) {
                continue;
            }
            long[] values = columns.longs(c.input);
            for (int r = 0; r < n; r++) {
                long v = values[r];
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    if (!columns.isMissing(c.input, r)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Whether no row of the call brings a missing value to a filter ({@link PmmlFeatureChain#filterDefined}). */
    boolean filtersDefined(InputColumns columns) {
        for (PmmlFeatureChain c : chains) {
            if (!c.filterDefined(columns)) {
                return false;
            }
        }
        return true;
    }

    private static double code(PmmlFeatureChain c, String s) {
        Integer code = c.codes.get(s);
        return code == null ? -1 : code;
    }
}
