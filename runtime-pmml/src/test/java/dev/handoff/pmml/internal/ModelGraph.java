package dev.handoff.pmml.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a loaded model keeps: the objects reachable from it through this module's classes and object arrays (other
 * modules' objects are not opened to reflection; they are reported as field values, not followed).
 *
 * <pre>{@code
 * List<String> fields = ModelGraph.fieldsHolding(engine, ThreadLocal.class);   // "Class.field" of each holder
 * }</pre>
 */
final class ModelGraph {
    private ModelGraph() {
    }

    /** The instance fields, as {@code Class.field}, that hold an instance of {@code type} in some object (each once). */
    static List<String> fieldsHolding(Object root, Class<?> type) {
        List<String> found = new ArrayList<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>();
        todo.add(root);
        Module own = ModelGraph.class.getModule();
        while (!todo.isEmpty()) {
            Object o = todo.poll();
            if (!seen.add(o)) {
                continue;
            }
            Class<?> c0 = o.getClass();
            if (c0.isArray()) {
                if (!c0.getComponentType().isPrimitive()) {
                    for (int i = 0; i < Array.getLength(o); i++) {
                        Object x = Array.get(o, i);
                        if (x != null) {
                            todo.add(x);
                        }
                    }
                }
                continue;
            }
            for (Class<?> c = c0; c != null && c.getModule() == own; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    f.setAccessible(true);
                    Object x;
                    try {
                        x = f.get(o);
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                    if (type.isInstance(x)) {
                        found.add(c.getName() + "." + f.getName());
                    }
                    if (x != null) {
                        todo.add(x);
                    }
                }
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(found));
    }
}
