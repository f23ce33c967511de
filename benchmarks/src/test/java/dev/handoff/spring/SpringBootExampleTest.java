package dev.handoff.spring;

import dev.handoff.Scorer;
import dev.handoff.benchmarks.ReadmeSnippets;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Spring Boot service, started for real (embedded Tomcat on a free port): two {@code Scorer}
 * beans told apart by {@code @Qualifier}, a prediction over HTTP, {@code InvalidInputException} as HTTP 400
 * with the client-safe message, and both scorers closed when the application shuts down.
 */
class SpringBootExampleTest {
    private static final String CUSTOMER = "{\"tenure_months\": 2, \"monthly_charges\": 83.31, \"total_charges\": 181.21,"
            + " \"support_calls\": 4, \"age\": 19, \"plan\": \"basic\", \"region\": \"south\", \"payment_method\": \"card\"%s}";

    @TempDir
    Path dir;

    @Test
    void serviceScoresOverHttpAnswers400ForABadRecordAndClosesBothScorersAtShutdown() throws Exception {
        Path churn = CorpusModel.CHURN_LOGREG_ONNX.copyModelTo(dir);
        Path iris = CorpusModel.IRIS_PMML.copyModelTo(dir);
        ConfigurableApplicationContext context = SpringApplication.run(ScoringApplication.class,
                "--server.port=0", "--models.churn=" + churn, "--models.iris=" + iris, "--spring.main.banner-mode=off");
        Scorer churnScorer = context.getBean("churnScorer", Scorer.class);
        Scorer irisScorer = context.getBean("irisScorer", Scorer.class);
        String port = context.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> good;
        HttpResponse<String> bad;
        try {
            good = post(port, String.format(CUSTOMER, ""));
            bad = post(port, String.format(CUSTOMER, "").replace("\"age\": 19", "\"age\": \"nineteen\""));
            assertEquals(java.util.List.of("setosa", "versicolor", "virginica"), irisScorer.classes());
        } finally {
            context.close();
        }

        assertEquals(200, good.statusCode(), good.body());
        assertTrue(good.body().contains("\"label\":\"1\""), good.body());
        assertTrue(good.body().matches(".*\"churn\":0\\.870\\d*.*"), good.body()); // scikit-learn's 0.8704319 (README)
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("\"field\":\"age\""), bad.body());
        assertTrue(bad.body().contains("Invalid input for field 'age': value 'nineteen' (String) is not a number"), bad.body());
        assertFalse(bad.body().contains("ScorerOptions"), bad.body());
        assertThrows(IllegalStateException.class, () -> churnScorer.score(Map.of("age", 19)), "closed by the destroy method");
        assertThrows(IllegalStateException.class, () -> irisScorer.score(Map.of()), "closed by the destroy method");
    }

    /** Keeps the README honest: its Spring Boot example is {@link ScoringApplication}, line for line (code only). */
    @Test
    void readmeShowsTheApplicationThatThisTestRuns() {
        ReadmeSnippets.assertReadmeShows(Path.of("src/test/java/dev/handoff/spring/ScoringApplication.java"), line -> line);
    }

    private static HttpResponse<String> post(String port, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/churn"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
