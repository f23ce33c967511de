package dev.handoff.pmml.internal;

import jakarta.xml.bind.JAXBElement;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Walks two object graphs in parallel and reports the first place where they differ: in a value (class, field, list
 * element, map entry) or in sharing, where one graph holds the same instance at two positions and the other holds two
 * instances (or the other way round). Graphs compared through one comparison are one joint graph: pairs compared one
 * after another must also share across pairs alike. Reflection on every field of the class model's own classes;
 * JDK values by {@code equals}; DOM nodes as JPMML's deep equality reads them.
 */
final class ClassModelComparison {
    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

    private final IdentityHashMap<Object, Integer> left = new IdentityHashMap<>();
    private final IdentityHashMap<Object, Integer> right = new IdentityHashMap<>();
    private int positions;

    /** Null when the graphs are alike (values and sharing), else where and how they first differ. */
    String difference(Object a, Object b) {
        try {
            walk("", a, b);
            return null;
        } catch (Difference d) {
            return d.getMessage();
        }
    }

    /** How many distinct instances the walk met on the left (for a check that it walked something). */
    int instances() {
        return left.size();
    }

    private void walk(String path, Object a, Object b) {
        if (a == null || b == null) {
            if (a != b) {
                throw new Difference(path + ": " + a + " vs " + b);
            }
            return;
        }
        if (a.getClass() != b.getClass()) {
            throw new Difference(path + ": " + a.getClass().getName() + " vs " + b.getClass().getName());
        }
        if (a instanceof Enum<?> || a instanceof Class<?>) {
            if (a != b) {
                throw new Difference(path + ": " + a + " vs " + b);
            }
            return;
        }
        int position = positions++;
        Integer seenA = left.putIfAbsent(a, position);
        Integer seenB = right.putIfAbsent(b, position);
        if (!Objects.equals(seenA, seenB)) {
            throw new Difference(path + ": sharing differs (" + a.getClass().getSimpleName() + " " + shorten(a)
                    + " first met at position " + seenA + " on the left, " + seenB + " on the right)");
        }
        if (seenA != null) {
            return; // the same instance met at the same position on both sides: its subgraph is compared there
        }
        if (a instanceof List<?> la) {
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) {
                throw new Difference(path + ": " + la.size() + " vs " + lb.size() + " elements");
            }
            for (int i = 0; i < la.size(); i++) {
                walk(path + "[" + i + "]", la.get(i), lb.get(i));
            }
        } else if (a instanceof Map<?, ?> ma) {
            walkEntries(path, ma.entrySet(), ((Map<?, ?>) b).entrySet());
        } else if (a instanceof Collection<?> ca) {
            walkElements(path, ca, (Collection<?>) b);
        } else if (a.getClass().isArray()) {
            int length = Array.getLength(a);
            if (length != Array.getLength(b)) {
                throw new Difference(path + ": array lengths " + length + " vs " + Array.getLength(b));
            }
            for (int i = 0; i < length; i++) {
                walk(path + "[" + i + "]", Array.get(a, i), Array.get(b, i));
            }
        } else if (a instanceof org.w3c.dom.Node na) {
            org.w3c.dom.Node nb = (org.w3c.dom.Node) b;
            same(path, na.getNamespaceURI(), nb.getNamespaceURI());
            same(path, na.getLocalName(), nb.getLocalName());
            same(path, na.getTextContent(), nb.getTextContent());
        } else if (a instanceof JAXBElement<?> ja) {
            JAXBElement<?> jb = (JAXBElement<?>) b;
            same(path, ja.getName(), jb.getName());
            walk(path + ".value", ja.getValue(), jb.getValue());
        } else if (isJdk(a.getClass())) {
            same(path, a, b);
        } else {
            for (Field field : fields(a.getClass())) {
                walk(path + "." + field.getName(), read(field, a), read(field, b));
            }
        }
    }

    private void walkEntries(String path, Collection<? extends Map.Entry<?, ?>> a, Collection<? extends Map.Entry<?, ?>> b) {
        if (a.size() != b.size()) {
            throw new Difference(path + ": " + a.size() + " vs " + b.size() + " entries");
        }
        Iterator<? extends Map.Entry<?, ?>> ib = b.iterator();
        int i = 0;
        for (Map.Entry<?, ?> ea : a) {
            Map.Entry<?, ?> eb = ib.next();
            walk(path + "{key " + i + "}", ea.getKey(), eb.getKey());
            walk(path + "{" + ea.getKey() + "}", ea.getValue(), eb.getValue());
            i++;
        }
    }

    private void walkElements(String path, Collection<?> a, Collection<?> b) {
        if (a.size() != b.size()) {
            throw new Difference(path + ": " + a.size() + " vs " + b.size() + " elements");
        }
        Iterator<?> ib = b.iterator();
        int i = 0;
        for (Object ea : a) {
            walk(path + "{" + i++ + "}", ea, ib.next());
        }
    }

    private static void same(String path, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            throw new Difference(path + ": " + shorten(a) + " vs " + shorten(b));
        }
    }

    private static boolean isJdk(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.startsWith("com.sun.");
    }

    private static List<Field> fields(Class<?> type) {
        return FIELDS.computeIfAbsent(type, t -> {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = t; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())) {
                        field.setAccessible(true);
                        fields.add(field);
                    }
                }
            }
            return fields;
        });
    }

    private static Object read(Field field, Object object) {
        try {
            return field.get(object);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shorten(Object value) {
        String text = String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private static final class Difference extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Difference(String message) {
            super(message, null, false, false);
        }
    }
}
