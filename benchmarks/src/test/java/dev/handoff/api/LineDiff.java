package dev.handoff.api;

import java.util.List;

/** A line diff (longest common subsequence) that shows only the changed lines, each under the type block it is in. */
final class LineDiff {
    private LineDiff() {
    }

    /** {@code -} for a line only in {@code before}, {@code +} for one only in {@code after}; "(no difference)" if none. */
    static String of(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        StringBuilder out = new StringBuilder();
        String block = null;
        String shownBlock = null;
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            String line;
            char mark;
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                line = a.get(i++);
                j++;
                mark = ' ';
            } else if (j < b.size() && (i == a.size() || common[i][j + 1] >= common[i + 1][j])) {
                line = b.get(j++);
                mark = '+';
            } else {
                line = a.get(i++);
                mark = '-';
            }
            if (!line.startsWith(" ") && !line.isEmpty()) {
                block = line;
            }
            if (mark != ' ') {
                if (block != null && !block.equals(shownBlock) && !block.equals(line)) {
                    out.append("@@ ").append(block).append('\n');
                }
                shownBlock = block;
                out.append(mark).append(line).append('\n');
            }
        }
        return out.length() == 0 ? "(no difference)" : out.toString();
    }
}
