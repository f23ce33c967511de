package dev.handoff.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of one library jar as a plain, sorted text listing (OkHttp's {@code api/*.api} habit): every
 * public top-level type of the packages the module exports to everyone (every package while it is an automatic
 * module, as the JVM sees it), its public and protected nested types, and their public and protected members.
 * Read from the compiled classes with reflection and {@link ModuleDescriptor}: nothing is initialized.
 *
 * <pre>{@code
 * ApiListing listing = ApiListing.of(Scorer.class);   // the module (jar or classes folder) that holds Scorer
 * listing.text();                                     // what api/handoff-api.api holds
 * }</pre>
 */
final class ApiListing {
    private final List<Class<?>> types;

    private ApiListing(List<Class<?>> types) {
        this.types = types;
    }

    /** The listing of the module (a jar or a classes folder) from which {@code anchor} was loaded. */
    static ApiListing of(Class<?> anchor) {
        Path location;
        try {
            location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try {
            if (Files.isDirectory(location)) {
                return read(location, anchor.getClassLoader());
            }
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                return read(jar.getPath("/"), anchor.getClassLoader());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiListing read(Path root, ClassLoader loader) throws IOException {
        Set<String> exported = exportedPackages(root);
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('\\', '/');
                name = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                if (name.endsWith("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                String pkg = name.substring(0, Math.max(0, name.lastIndexOf('.')));
                if (exported != null && !exported.contains(pkg)) {
                    continue;
                }
                Class<?> type;
                try {
                    type = Class.forName(name, false, loader);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(name + " is in " + root + " but not on the class path", e);
                }
                if (isApi(type)) {
                    types.add(type);
                }
            }
        }
        types.sort(Comparator.comparing(Class::getName));
        return new ApiListing(types);
    }

    /** The packages exported to everyone, or null for an automatic module (no module-info: every package). */
    private static Set<String> exportedPackages(Path root) throws IOException {
        Path info = root.resolve("module-info.class");
        if (!Files.exists(info)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(info)) {
            return ModuleDescriptor.read(in).exports().stream()
                    .filter(e -> !e.isQualified())
                    .map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toSet());
        }
    }

    /** A public top-level type, or a public/protected member type whose enclosing types are all API. */
    private static boolean isApi(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
            return false;
        }
        if (!type.isMemberClass()) {
            return Modifier.isPublic(type.getModifiers());
        }
        return visible(type.getModifiers()) && isApi(type.getDeclaringClass());
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** The public top-level types: what a user of the jar can name. */
    List<String> topLevelTypes() {
        return types.stream().filter(t -> !t.isMemberClass()).map(Class::getName).toList();
    }

    /** The listing: one block per type, its header then its members indented, types and members sorted. */
    String text() {
        StringBuilder out = new StringBuilder();
        for (Class<?> type : types) {
            out.append(header(type)).append('\n');
            for (String member : members(type)) {
                out.append("  ").append(member).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String header(Class<?> type) {
        int modifiers = type.getModifiers() & ~Modifier.INTERFACE;
        String kind;
        if (type.isAnnotation()) {
            kind = "@interface";
            modifiers &= ~Modifier.ABSTRACT;
        } else if (type.isInterface()) {
            kind = "interface";
            modifiers &= ~Modifier.ABSTRACT;
        } else if (type.isEnum()) {
            kind = "enum";
        } else if (type.isRecord()) {
            kind = "record";
        } else {
            kind = "class";
        }
        StringBuilder header = new StringBuilder(Modifier.toString(modifiers));
        if (type.isSealed()) {
            header.append(" sealed");
        }
        header.append(' ').append(kind).append(' ').append(type.getName()).append(typeParameters(type.getTypeParameters()));
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            header.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            header.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        if (type.isSealed()) {
            header.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getName).sorted()
                    .collect(Collectors.joining(", ")));
        }
        return header.toString();
    }

    private static String typeParameters(TypeVariable<?>[] parameters) {
        if (parameters.length == 0) {
            return "";
        }
        return Arrays.stream(parameters).map(p -> {
            String bounds = Arrays.stream(p.getBounds()).filter(b -> b != Object.class).map(Type::getTypeName)
                    .collect(Collectors.joining(" & "));
            return bounds.isEmpty() ? p.getName() : p.getName() + " extends " + bounds;
        }).collect(Collectors.joining(", ", "<", ">"));
    }

    /** The type's public and protected members, by name and then signature: a member's overloads stand together. */
    private static List<String> members(Class<?> type) {
        Map<String, String> members = new TreeMap<>();
        for (Field f : type.getDeclaredFields()) {
            if (visible(f.getModifiers()) && !f.isSynthetic()) {
                add(members, f.getName(), withoutOwner(f.toGenericString(), f));
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c.getModifiers()) && !c.isSynthetic()) {
                add(members, "<init>", executable(c));
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                add(members, m.getName(), executable(m));
            }
        }
        return List.copyOf(members.values());
    }

    private static void add(Map<String, String> members, String name, String signature) {
        members.put(name + "\u0000" + signature, signature);
    }

    private static String executable(Executable e) {
        if (e instanceof Constructor<?>) {
            // "public dev.handoff.Foo(int)": the type's name stands for the constructor
            return e.toGenericString().replace(e.getDeclaringClass().getTypeName() + "(", "<init>(");
        }
        return withoutOwner(e.toGenericString(), (Member) e);
    }

    /** {@code ... dev.handoff.Scorer.score(...)} becomes {@code ... score(...)}: the block already names the type. */
    private static String withoutOwner(String signature, Member member) {
        return signature.replace(" " + member.getDeclaringClass().getTypeName() + "." + member.getName(), " " + member.getName());
    }
}
