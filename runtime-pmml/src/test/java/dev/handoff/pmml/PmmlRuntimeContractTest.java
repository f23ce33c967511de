package dev.handoff.pmml;

import dev.handoff.ModelFormat;
import dev.handoff.testing.PmmlDocument;
import dev.handoff.testing.RuntimeContract;

/** The runtime contract on the PMML models of the corpus; the producer is the Application's name and version. */
class PmmlRuntimeContractTest extends RuntimeContract {
    PmmlRuntimeContractTest() {
        super(ModelFormat.PMML, "not well-formed: line");
    }

    @Override
    protected byte[] modelProducedBy(String producer) {
        return PmmlDocument.line(1, 2).application(producer, "1").bytes();
    }

    @Override
    protected String loggedProducer(String producer) {
        return producer + " 1";
    }
}
