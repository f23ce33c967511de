package dev.handoff.onnx.internal;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TreeNodeIndexTest {

    @Test
    void findsEveryNodeByTreeAndNodeIdAndReportsAbsentOnesAsMinusOne() {
        int n = 5_000;
        TreeNodeIndex index = new TreeNodeIndex(n);
        for (int i = 0; i < n; i++) {
            assertTrue(index.put(i / 50, i % 50, i));
        }
        for (int i = 0; i < n; i++) {
            assertEquals(i, index.get(i / 50, i % 50));
        }
        assertEquals(-1, index.get(0, 50));
        assertEquals(-1, index.get(n / 50, 0));
        assertEquals(-1, index.get(-1, -1));
    }

    @Test
    void aNodeDeclaredTwiceIsRefusedAndKeepsItsFirstIndex() {
        TreeNodeIndex index = new TreeNodeIndex(3);
        assertTrue(index.put(7, 3, 0));
        assertFalse(index.put(7, 3, 2));
        assertEquals(0, index.get(7, 3));
    }

    @Test
    void keysThatDifferOnlyInTheirHighBitsAreDistinct() {
        // ids are int64 in the file: the guards must not confuse tree 1 << 32 with tree 0
        TreeNodeIndex index = new TreeNodeIndex(4);
        assertTrue(index.put(0, 0, 0));
        assertTrue(index.put(1L << 32, 0, 1));
        assertTrue(index.put(0, 1L << 32, 2));
        assertTrue(index.put(Long.MIN_VALUE, Long.MAX_VALUE, 3));
        assertEquals(0, index.get(0, 0));
        assertEquals(1, index.get(1L << 32, 0));
        assertEquals(2, index.get(0, 1L << 32));
        assertEquals(3, index.get(Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void agreesWithAHashMapOnRandomIds() {
        Random random = new Random(14);
        int n = 2_000;
        TreeNodeIndex index = new TreeNodeIndex(n);
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < n; i++) {
            long tree = random.nextInt(40);
            long node = random.nextInt(200);
            boolean added = expected.putIfAbsent(tree + "/" + node, i) == null;
            assertEquals(added, index.put(tree, node, i));
        }
        for (int tree = 0; tree < 40; tree++) {
            for (int node = 0; node < 200; node++) {
                assertEquals(expected.getOrDefault(tree + "/" + node, -1), index.get(tree, node));
            }
        }
    }
}
