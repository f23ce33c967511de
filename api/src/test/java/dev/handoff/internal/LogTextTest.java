package dev.handoff.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogTextTest {

    @Test
    void plainTextIsReturnedAsIs() {
        String text = "skl2onnx 1.14.0 — Zürich 模型";
        assertSame(text, LogText.safe(text));
    }

    @Test
    void lineBreaksAndTabsAreEscapedSoNoLineCanBeForged() {
        assertEquals("evil\\n[main] INFO forged\\r\\tx", LogText.safe("evil\n[main] INFO forged\r\tx"));
    }

    @Test
    void otherControlAndInvisibleCharactersAreEscapedAsUnicode() {
        // ESC (terminal colours), NUL, NEL, line separator, right-to-left override, zero-width space, a lone surrogate
        assertEquals("a\\u001B[31mb\\u0000c\\u0085d\\u2028e\\u202Ef\\u200Bg\\uD800h",
                LogText.safe("a\u001B[31mb\u0000c\u0085d\u2028e\u202Ef\u200Bg\uD800h"));
    }

    @Test
    void longTextIsCutAndItsLengthGiven() {
        String huge = "A".repeat(20_000_000);
        String safe = LogText.safe(huge);
        assertEquals("A".repeat(200) + "...(20000000 chars)", safe);
    }

    @Test
    void escapesCountTowardsTheBound() {
        String safe = LogText.safe("\n".repeat(1_000), 10);
        assertEquals("\\n".repeat(5) + "...(1000 chars)", safe);
    }

    @Test
    void nullIsWrittenAsNull() {
        assertEquals("null", LogText.safe(null));
    }

    @Test
    void boundMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogText.safe("x", 0));
        assertEquals("maxChars must be at least 1, got 0", e.getMessage());
    }
}
