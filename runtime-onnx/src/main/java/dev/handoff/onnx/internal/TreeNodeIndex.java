package dev.handoff.onnx.internal;

/**
 * The attribute index of each tree-ensemble node by its (tree id, node id), on primitive arrays: reading a model
 * with thousands of nodes boxes no key and no value.
 *
 * <pre>{@code
 * TreeNodeIndex index = new TreeNodeIndex(n);
 * index.put(treeIds[i], nodeIds[i], i);   // false when that node is declared twice
 * int i = index.get(tree, node);          // -1 when absent
 * }</pre>
 */
final class TreeNodeIndex {
    private final long[] trees;
    private final long[] nodes;
    private final int[] values; // attribute index + 1; 0 marks a free slot
    private final int mask;

    /** Room for {@code count} nodes (at most {@code 1 << 29}). */
    TreeNodeIndex(int count) {
        int capacity = Integer.highestOneBit(Math.max(4, count) * 2 - 1) << 1; // a power of two, at least twice count
        trees = new long[capacity];
        nodes = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
    }

    /** Adds the node; false, keeping the first, when it is already there. */
    boolean put(long tree, long node, int value) {
        for (int slot = slot(tree, node); ; slot = (slot + 1) & mask) {
            if (values[slot] == 0) {
                trees[slot] = tree;
                nodes[slot] = node;
                values[slot] = value + 1;
                return true;
            }
            if (trees[slot] == tree && nodes[slot] == node) {
                return false;
            }
        }
    }

    /** The node's attribute index, -1 when absent. */
    int get(long tree, long node) {
        for (int slot = slot(tree, node); ; slot = (slot + 1) & mask) {
            if (values[slot] == 0) {
                return -1;
            }
            if (trees[slot] == tree && nodes[slot] == node) {
                return values[slot] - 1;
            }
        }
    }

    private int slot(long tree, long node) {
        long h = (tree * 0x9E3779B97F4A7C15L + node) * 0xC2B2AE3D27D4EB4FL;
        return (int) (h >>> 40) & mask;
    }
}
