package dev.handoff.pmml.exports;

import org.dmg.pmml.PMML;
import org.jpmml.model.JAXBSerializer;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * One model trained here by a real trainer and converted to PMML by the real converter, in process: the document,
 * the rows it was trained on (as Handoff records), and the trainer's own answer for each of those rows.
 *
 * @param name      what was trained and how it was converted (the test's display name)
 * @param pmml      the converter's document
 * @param records   the training rows, one record per row (absent key = missing value)
 * @param expected  the trainer's own answer per row: one value (regression, raw or transformed) or one probability per class
 * @param classes   the class labels in the order of {@code expected}'s entries, empty for a regression
 * @param tolerance how far the trainer's answer may lie from the document's (the trainer predicts in float); NaN
 *                  where the converter's document is known to disagree with its trainer (not compared)
 * @param declined  null where Handoff's compiled tree engine must serve the document, else words of the reason
 *                  it must give for leaving it to JPMML (a known gap, reported)
 */
record RealExport(String name, byte[] pmml, List<Map<String, Object>> records, double[][] expected, List<String> classes,
                  double tolerance, String declined) {

    @Override
    public String toString() {
        return name;
    }

    /** The same export, which the engine must leave to JPMML for the reason containing these words. */
    RealExport declinedBecause(String reason) {
        return new RealExport(name, pmml, records, expected, classes, tolerance, reason);
    }

    /** The same export, held to this agreement with its trainer. */
    RealExport withTolerance(double tolerance) {
        return new RealExport(name, pmml, records, expected, classes, tolerance, declined);
    }

    static byte[] serialize(PMML pmml) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new JAXBSerializer().serialize(pmml, out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the converter's PMML", e);
        }
    }
}
