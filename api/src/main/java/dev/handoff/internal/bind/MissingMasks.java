package dev.handoff.internal.bind;

/** Per INTEGER field, which of its values are missing: a {@code long} has no NaN to say so. */
final class MissingMasks {
    final boolean[][] masks;

    MissingMasks(int fields) {
        this.masks = new boolean[fields][];
    }

    /** Marks value {@code index} of field {@code f}'s column of {@code length} values missing. */
    void mark(int f, int length, int index) {
        if (masks[f] == null) {
            masks[f] = new boolean[length];
        }
        masks[f][index] = true;
    }
}
