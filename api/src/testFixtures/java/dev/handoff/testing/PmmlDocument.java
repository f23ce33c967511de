package dev.handoff.testing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small PMML regression document for tests, {@code y = intercept + Σ coefficient·field}, built in code instead of
 * retyped in each test class. Fields are continuous doubles unless given otherwise; attribute values are escaped.
 *
 * <pre>{@code
 * byte[] model = PmmlDocument.line(1, 2).verification(List.of("x", "y"), "1,3", "2,5").bytes();   // y = 1 + 2x
 * }</pre>
 */
public final class PmmlDocument {
    private final double intercept;
    private final Map<String, String> dataFields = new LinkedHashMap<>();
    private final Map<String, String> miningFields = new LinkedHashMap<>();
    private final List<String> predictors = new ArrayList<>();
    private String description;
    private String applicationName;
    private String applicationVersion;
    private String modelName;
    private String transformations;
    private String output;
    private String verification;
    private String model;

    private PmmlDocument(double intercept) {
        this.intercept = intercept;
    }

    /** {@code y = intercept}, no input yet. */
    public static PmmlDocument regression(double intercept) {
        return new PmmlDocument(intercept);
    }

    /** {@code y = intercept + slope·x}. */
    public static PmmlDocument line(double intercept, double slope) {
        return regression(intercept).input("x").predictor("x", slope);
    }

    /** A continuous double input. */
    public PmmlDocument input(String name) {
        return input(name, "continuous", "double", "", "");
    }

    /**
     * An input of the given optype and dataType; {@code content} goes inside its DataField (Values, Intervals) and
     * {@code miningAttributes} (raw, as {@code invalidValueTreatment="asIs"}) on its MiningField.
     */
    public PmmlDocument input(String name, String optype, String dataType, String content, String miningAttributes) {
        String open = "<DataField name=\"" + escape(name) + "\" optype=\"" + optype + "\" dataType=\"" + dataType + "\"";
        dataFields.put(name, content.isEmpty() ? open + "/>" : open + ">" + content + "</DataField>");
        miningFields.put(name, "<MiningField name=\"" + escape(name) + "\"" + (miningAttributes.isEmpty() ? "" : " " + miningAttributes) + "/>");
        return this;
    }

    /** A CategoricalPredictor: {@code coefficient} is added when {@code field} is {@code value}. */
    public PmmlDocument predictor(String field, String value, double coefficient) {
        predictors.add("<CategoricalPredictor name=\"" + escape(field) + "\" value=\"" + escape(value) + "\" coefficient=\""
                + number(coefficient) + "\"/>");
        return this;
    }

    /** A NumericPredictor of {@code field} (an input or a derived field). */
    public PmmlDocument predictor(String field, double coefficient) {
        predictors.add("<NumericPredictor name=\"" + escape(field) + "\" coefficient=\"" + number(coefficient) + "\"/>");
        return this;
    }

    /** The Header's description. */
    public PmmlDocument description(String text) {
        this.description = text;
        return this;
    }

    /** The Header's Application: what Handoff reports as the model's producer ("name version"). */
    public PmmlDocument application(String name, String version) {
        this.applicationName = name;
        this.applicationVersion = version;
        return this;
    }

    /** The RegressionModel's modelName. */
    public PmmlDocument modelName(String name) {
        this.modelName = name;
        return this;
    }

    /** The TransformationDictionary's content (DerivedFields), raw XML. */
    public PmmlDocument transformations(String xml) {
        this.transformations = xml;
        return this;
    }

    /** The model's Output content (OutputFields), raw XML. */
    public PmmlDocument output(String xml) {
        this.output = xml;
        return this;
    }

    /** ModelVerification cases: each row is the fields' values, comma-separated. */
    public PmmlDocument verification(List<String> fields, String... rows) {
        StringBuilder xml = new StringBuilder("<ModelVerification recordCount=\"" + rows.length + "\" fieldCount=\"" + fields.size() + "\">\n");
        xml.append("      <VerificationFields>");
        for (String f : fields) {
            xml.append("<VerificationField field=\"").append(escape(f)).append("\"/>");
        }
        xml.append("</VerificationFields>\n      <InlineTable>");
        for (String row : rows) {
            String[] values = row.split(",", -1);
            xml.append("<row>");
            for (int i = 0; i < fields.size(); i++) {
                xml.append('<').append(fields.get(i)).append('>').append(values[i]).append("</").append(fields.get(i)).append('>');
            }
            xml.append("</row>");
        }
        this.verification = xml.append("</InlineTable>\n    </ModelVerification>").toString();
        return this;
    }

    /** Replaces the RegressionModel element with {@code xml} (another model element, or nothing). */
    public PmmlDocument model(String xml) {
        this.model = xml;
        return this;
    }

    public String text() {
        StringBuilder s = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append("<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">\n");
        if (description == null && applicationName == null) {
            s.append("  <Header/>\n");
        } else {
            s.append("  <Header").append(description == null ? "" : " description=\"" + escape(description) + "\"").append('>');
            if (applicationName != null) {
                s.append("<Application name=\"").append(escape(applicationName)).append("\" version=\"")
                        .append(escape(applicationVersion)).append("\"/>");
            }
            s.append("</Header>\n");
        }
        s.append("  <DataDictionary>\n");
        for (String field : dataFields.values()) {
            s.append("    ").append(field).append('\n');
        }
        s.append("    <DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>\n");
        s.append("  </DataDictionary>\n");
        if (transformations != null) {
            s.append("  <TransformationDictionary>\n").append(transformations).append("  </TransformationDictionary>\n");
        }
        if (model != null) {
            s.append(model);
        } else {
            s.append("  <RegressionModel functionName=\"regression\"")
                    .append(modelName == null ? "" : " modelName=\"" + escape(modelName) + "\"").append(">\n");
            s.append("    <MiningSchema>").append(String.join("", miningFields.values()))
                    .append("<MiningField name=\"y\" usageType=\"target\"/></MiningSchema>\n");
            if (output != null) {
                s.append("    <Output>").append(output).append("</Output>\n");
            }
            s.append("    <RegressionTable intercept=\"").append(number(intercept)).append("\">")
                    .append(String.join("", predictors)).append("</RegressionTable>\n");
            if (verification != null) {
                s.append("    ").append(verification).append('\n');
            }
            s.append("  </RegressionModel>\n");
        }
        return s.append("</PMML>\n").toString();
    }

    public byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text();
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Escapes text for an XML attribute, line breaks included (a raw newline in an attribute reads as a space). */
    public static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\n' -> s.append("&#10;");
                case '\r' -> s.append("&#13;");
                case '\t' -> s.append("&#9;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
