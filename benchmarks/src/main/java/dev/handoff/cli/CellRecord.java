package dev.handoff.cli;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One CSV row as the record the library scores: a read-only view from names to the row's cells, nothing
 * copied. A name whose column the row lacks reads as missing ({@code null}).
 */
final class CellRecord extends AbstractMap<String, Object> {
    private final Map<String, Integer> columnOf;
    private final List<String> cells;

    /** @param columnOf each name's column in the row (a header's names, or a model's inputs) */
    CellRecord(Map<String, Integer> columnOf, List<String> cells) {
        this.columnOf = columnOf;
        this.cells = cells;
    }

    @Override
    public Object get(Object key) {
        Integer column = columnOf.get(key);
        return column == null ? null : cell(column);
    }

    private String cell(int column) {
        return column < cells.size() ? cells.get(column) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return columnOf.containsKey(key);
    }

    @Override
    public int size() {
        return columnOf.size();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                Iterator<Entry<String, Integer>> names = columnOf.entrySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return names.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        Entry<String, Integer> e = names.next();
                        return new SimpleImmutableEntry<>(e.getKey(), cell(e.getValue()));
                    }
                };
            }

            @Override
            public int size() {
                return columnOf.size();
            }
        };
    }
}
