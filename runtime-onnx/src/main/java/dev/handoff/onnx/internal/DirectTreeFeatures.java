package dev.handoff.onnx.internal;

import ai.onnxruntime.OnnxJavaType;
import dev.handoff.spi.InputColumns;

/**
 * The features of a tree ensemble fed by the graph's {@code [N, F]} float or double input directly: each value read
 * as the input encoder writes it into the tensor (a double column narrowed to float for a float input).
 *
 * <pre>{@code
 * OnnxTreeFeatures.Plan plan = DirectTreeFeatures.plan("float_input", 10);
 * OnnxTreeFeatures features = plan.bind(encoder);
 * }</pre>
 */
final class DirectTreeFeatures implements OnnxTreeFeatures {
    private final OnnxInputEncoder.TensorPlan input;
    private final int width;

    private DirectTreeFeatures(OnnxInputEncoder.TensorPlan input) {
        this.input = input;
        this.width = input.width();
    }

    /** A plan for the graph input {@code inputName} of {@code featureCount} values per row. */
    static OnnxTreeFeatures.Plan plan(String inputName, int featureCount) {
        return encoder -> {
            OnnxInputEncoder.TensorPlan input = encoder.tensorPlan(inputName);
            if (input == null) {
                throw new IllegalArgumentException("the tree ensemble's input '" + inputName + "' is not among the planned inputs");
            }
            if (input.width() != featureCount || (input.type() != OnnxJavaType.FLOAT && input.type() != OnnxJavaType.DOUBLE)) {
                throw new IllegalArgumentException("the tree ensemble's input '" + inputName + "' is planned as " + input.width()
                        + " " + input.type() + " values per row, not " + featureCount + " float or double values");
            }
            return new DirectTreeFeatures(input);
        };
    }

    @Override
    public int featureCount() {
        return width;
    }

    @Override
    public Object newScratch() {
        return null;
    }

    @Override
    public void fill(InputColumns columns, int row, float[] dest, int offset, Object scratch) {
        for (int j = 0; j < width; j++) {
            dest[offset + j] = (float) input.doubleAt(columns, row, j);
        }
    }

    @Override
    public void fill(InputColumns columns, int row, double[] dest, int offset, Object scratch) {
        if (input.type() == OnnxJavaType.FLOAT) {
            for (int j = 0; j < width; j++) {
                dest[offset + j] = (float) input.doubleAt(columns, row, j);
            }
        } else {
            for (int j = 0; j < width; j++) {
                dest[offset + j] = input.doubleAt(columns, row, j);
            }
        }
    }
}
