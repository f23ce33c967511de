package dev.handoff.pmml;

import dev.handoff.ModelFormat;
import dev.handoff.testing.PmmlDocument;
import dev.handoff.testing.RuntimeContract;

/** The runtime contract on the PMML models of the corpus. */
class PmmlRuntimeContractTest extends RuntimeContract {
    @Override
    protected ModelFormat format() {
        return ModelFormat.PMML;
    }

    @Override
    protected byte[] modelProducedBy(String producer) {
        return PmmlDocument.line(1, 2).application(producer, "1").bytes();
    }

    @Override
    protected String loggedProducer(String producer) {
        return producer + " 1"; // the Application's name and version
    }

    @Override
    protected String truncatedFileProblem() {
        return "not well-formed: line";
    }
}
