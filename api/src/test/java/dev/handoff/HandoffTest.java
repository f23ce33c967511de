package dev.handoff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandoffTest {

    @Test
    void versionIsTheMavenProjectVersionFilledInByTheBuild() {
        String version = Scorer.handoffVersion();

        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), version);
        assertEquals(System.getProperty("handoff.projectVersion", version), version); // the build passes the property
    }
}
