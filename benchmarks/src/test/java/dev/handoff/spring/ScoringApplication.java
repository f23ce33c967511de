package dev.handoff.spring;

import dev.handoff.InvalidInputException;
import dev.handoff.Prediction;
import dev.handoff.Scorer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.nio.file.Path;
import java.util.Map;

/** The Spring Boot service of the README, as it is printed there; {@link SpringBootExampleTest} runs it. */
// ---- README snippet begins ----
@SpringBootApplication
public class ScoringApplication {

    @Bean(destroyMethod = "close")                      // closed at shutdown, after in-flight calls
    @Qualifier("churn")
    Scorer churnScorer(@Value("${models.churn}") Path model) {
        return Scorer.load(model);
    }

    @Bean(destroyMethod = "close")
    @Qualifier("iris")
    Scorer irisScorer(@Value("${models.iris}") Path model) {
        return Scorer.load(model);
    }

    @RestController
    static class ChurnController {
        private final Scorer scorer;

        ChurnController(@Qualifier("churn") Scorer scorer) {   // one Scorer, shared by every request thread
            this.scorer = scorer;
        }

        @PostMapping("/churn")
        Map<String, Object> churn(@RequestBody Map<String, Object> customer) {
            Prediction p = scorer.score(customer);
            return Map.of("label", p.label(), "churn", p.probability("1"));
        }
    }

    @RestControllerAdvice
    static class BadInput {
        @ExceptionHandler(InvalidInputException.class)         // a bad record is the client's: HTTP 400
        ResponseEntity<Map<String, String>> badRequest(InvalidInputException e) {
            return ResponseEntity.badRequest().body(Map.of(
                    "field", e.field() == null ? "" : e.field(),
                    "error", e.clientMessage()));               // field and problem, no Java settings
        }
    }
}
// ---- README snippet ends ----
