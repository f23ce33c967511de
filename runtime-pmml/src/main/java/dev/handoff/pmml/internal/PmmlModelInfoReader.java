package dev.handoff.pmml.internal;

import dev.handoff.ModelFormat;
import dev.handoff.ModelInfo;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.spi.ScorerProvider.ModelSource;
import org.dmg.pmml.Annotation;
import org.dmg.pmml.Application;
import org.dmg.pmml.Header;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.Model;
import org.dmg.pmml.ModelVerification;
import org.dmg.pmml.PMML;
import org.dmg.pmml.Timestamp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the PMML Header and model element into a {@link ModelInfo} for logs, health pages and audits. */
final class PmmlModelInfoReader {
    private PmmlModelInfoReader() {
    }

    static ModelInfo read(ModelSource source, PMML pmml, Model model, ModelTask task, boolean verified) {
        Header header = pmml.getHeader();
        Map<String, String> metadata = new LinkedHashMap<>();
        put(metadata, "pmml.version", pmml.getVersion());
        put(metadata, "model.element", model.getClass().getSimpleName());
        MiningFunction function = model.getMiningFunction();
        put(metadata, "model.function", function == null ? null : function.value());
        put(metadata, "model.algorithm", model.getAlgorithmName());
        put(metadata, "model.name", model.getModelName());
        String producer = "";
        String description = null;
        if (header != null) {
            Application application = header.getApplication();
            if (application != null) {
                producer = join(application.getName(), application.getVersion());
            }
            description = header.getDescription();
            put(metadata, "header.copyright", header.getCopyright());
            put(metadata, "header.modelVersion", header.getModelVersion());
            Timestamp timestamp = header.getTimestamp();
            if (timestamp != null && timestamp.hasContent()) {
                put(metadata, "header.timestamp", text(timestamp.getContent()));
            }
            if (header.hasAnnotations()) {
                List<Annotation> annotations = header.getAnnotations();
                for (int i = 0; i < annotations.size(); i++) {
                    if (annotations.get(i).hasContent()) {
                        put(metadata, "header.annotation." + i, text(annotations.get(i).getContent()));
                    }
                }
            }
        }
        ModelVerification verification = model.getModelVerification();
        if (verification != null) {
            Integer records = verification.getRecordCount();
            put(metadata, "modelVerification.records", records == null ? "unknown" : records.toString());
            put(metadata, "modelVerification.checkedAtLoad", Boolean.toString(verified));
        }
        if (description == null || description.isBlank()) {
            description = model.getModelName();
        }
        return new ModelInfo(source.name(), ModelFormat.PMML, task, producer, description, source.sha256(), metadata);
    }

    private static void put(Map<String, String> metadata, String key, String value) {
        if (value != null && !value.isBlank()) {
            metadata.put(key, value.strip());
        }
    }

    private static String join(String name, String version) {
        String n = name == null ? "" : name.strip();
        String v = version == null ? "" : version.strip();
        return (n + " " + v).strip();
    }

    /** Mixed content: the text parts, joined; nested elements (rare in a Header) are left out. */
    private static String text(List<Object> content) {
        StringBuilder sb = new StringBuilder();
        for (Object part : content) {
            if (part instanceof String s) {
                sb.append(s);
            }
        }
        return sb.toString().strip();
    }
}
