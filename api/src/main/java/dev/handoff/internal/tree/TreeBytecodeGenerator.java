package dev.handoff.internal.tree;

import dev.handoff.internal.tree.TreeEnsemble.NodeMode;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

/**
 * Writes the classes of {@link BytecodeTrees}: each tree becomes nested {@code if}s in its own shape, thresholds and
 * leaf weights as constants, the feature read from the row array at each branch.
 *
 * <pre>{@code
 * TreeBytecodeGenerator generator = new TreeBytecodeGenerator(model);
 * if (generator.declined() == null) {
 *     List<byte[]> classes = generator.generate();   // each implements CompiledTreePart
 * }
 * }</pre>
 *
 * <h2>Shape of the code</h2>
 * A branch reads {@code x[off + feature]}, compares it with its constant and jumps to its true child; its false
 * child's code follows (the false child is the next node in the model's pre-order too). A leaf adds its value to the
 * running sum ({@code float} for a FLOAT model, {@code double} for a DOUBLE one), or its (target, weight) pairs to the
 * workspace's scores rounded as the interpreter rounds them, then jumps to the end of its tree. Consecutive trees share
 * a static method, in model order, so the sum sees the leaves in the interpreter's order.
 *
 * <h2>Sizes</h2>
 * HotSpot does not compile a method over 8,000 bytes of bytecode, and a class holds at most 65,535 constants. Every
 * node's code size is bounded from above ({@code *_BYTES}); a subtree whose code would pass {@link #METHOD_BUDGET}
 * gets its own static method (its parent calls it), biggest child first, so no method passes the budget; trees are
 * packed into methods up to the budget, and methods into classes up to {@link #CLASS_BUDGET} constants. The actual
 * size of every method is measured as it is written ({@link #largestMethod}).
 */
final class TreeBytecodeGenerator {
    /** Estimated bytes per method at most: half of HotSpot's 8,000-byte limit, so compiled code stays small too. */
    static final int METHOD_BUDGET = 4_000;
    /** HotSpot's {@code HugeMethodLimit}: a longer method is never JIT-compiled. */
    static final int HUGE_METHOD = 8_000;
    /** Constant-pool entries per class at most, counted from above (a double takes two, a method four), under the 65,535
     * limit with room for the few the class itself needs. */
    static final int CLASS_BUDGET = 60_000;

    // upper bounds of the bytes each piece of code takes
    private static final int BRANCH_BYTES = 28; // two loads of a wide feature index, ldc_w, compare, two jumps
    private static final int CALL_BYTES = 12;
    private static final int SUM_LEAF_BYTES = 10;
    private static final int WEIGHTS_LEAF_BYTES = 4;
    private static final int WEIGHT_BYTES = 20;
    private static final int TREE_BYTES = 4;
    private static final int METHOD_CONSTANTS = 4;
    /**
     * A shared subtree up to this many bytes is copied under each branch that reaches it rather than called (the PMML
     * HGB file: 2.24 us a row instead of 2.58 with calls from three calls' size up); where the copies would pass the
     * limit of {@link #copiesOfSharedSubtrees}, {@link #SHARED_CALLED} instead.
     */
    private static final int SHARED_INLINE = 1_000;
    private static final int SHARED_CALLED = 3 * CALL_BYTES;
    /** The deepest operand stack any generated method uses: a weight's {@code scores, k, scores[k] + w} is 6 slots. */
    private static final int MAX_STACK = 6;
    /** The most local slots: an instance method's this, row, offset and a double sum. */
    private static final int MAX_LOCALS = 5;

    private static final String CLASS_NAME = "dev/handoff/internal/tree/GeneratedTrees";
    private static final String PART = Type.getInternalName(CompiledTreePart.class);

    private final TreeEnsemble model;
    private final boolean floats;
    private final boolean weights;
    private final String descriptor;
    /** Upper bound of the bytes of a node's subtree written inline (its cut children as calls). */
    private final int[] size;
    /** Whether a node roots its own static method. */
    private final boolean[] cut;
    /** Per class, per method, the trees it holds (first and end tree, exclusive). */
    private final List<List<int[]>> layout = new ArrayList<>();
    private String declined;
    /** The sub-methods already queued in the class being written. */
    private BitSet queued;
    private int methodCount;
    private int largestMethod;

    TreeBytecodeGenerator(TreeEnsemble model) {
        this.model = model;
        this.floats = model.thresholdType() == ThresholdType.FLOAT;
        this.weights = model.targetCount() > 1;
        this.descriptor = floats ? (weights ? "([FI[D[Z)V" : "([FIF)F") : (weights ? "([DI[D[Z)V" : "([DID)D");
        int n = model.nodeCount();
        this.size = new int[n];
        this.cut = new boolean[n];
        declined = cutSubtrees(SHARED_INLINE);
        if (declined == null && copiesOfSharedSubtrees() != null) {
            java.util.Arrays.fill(cut, false);
            declined = cutSubtrees(SHARED_CALLED);
        }
        if (declined == null) {
            declined = copiesOfSharedSubtrees();
        }
        if (declined == null) {
            declined = packTrees();
        }
    }

    /** Why this model is not compiled (a leaf or a tree too big for the limits), or null. */
    String declined() {
        return declined;
    }

    int classCount() {
        return layout.size();
    }

    /** Static methods written (after {@link #generate()}). */
    int methodCount() {
        return methodCount;
    }

    /** The longest method's bytecode, in bytes (after {@link #generate()}). */
    int largestMethod() {
        return largestMethod;
    }

    /**
     * Bottom-up over the nodes (a child's index is above its parent's): a node's inline size is its branch plus its
     * children's; past the budget, its biggest child is cut into a method of its own. A subtree with several parents
     * (the representation is a DAG: the PMML reader shares subtrees) is cut too above {@code sharedInline} bytes, so
     * it is written once.
     */
    private String cutSubtrees(int sharedInline) {
        int[] parents = new int[model.nodeCount()];
        for (int i = 0; i < model.nodeCount(); i++) {
            if (!model.isLeaf(i)) {
                parents[i + 1]++;
                parents[model.trueChild(i)]++;
            }
        }
        for (int i = model.nodeCount() - 1; i >= 0; i--) {
            if (model.isLeaf(i)) {
                size[i] = weights ? WEIGHTS_LEAF_BYTES + WEIGHT_BYTES * model.weightCount(i) : SUM_LEAF_BYTES;
                if (size[i] > METHOD_BUDGET / 2) {
                    return "leaf " + i + " has " + model.weightCount(i) + " weights, too many for one method";
                }
            } else {
                int f = i + 1;
                int t = model.trueChild(i);
                while (true) {
                    int s = BRANCH_BYTES + inline(f) + inline(t);
                    if (s <= METHOD_BUDGET) {
                        size[i] = s;
                        break;
                    }
                    cut[!cut[f] && (cut[t] || size[f] >= size[t]) ? f : t] = true;
                }
            }
            // a subtree several branches share is written once, as a method they call, unless a call is as long
            if (parents[i] > 1 && size[i] > sharedInline) {
                cut[i] = true;
            }
        }
        return null;
    }

    /**
     * Whether the shared subtrees copied under each parent stay within twice the code of every node written once, or
     * why not.
     */
    private String copiesOfSharedSubtrees() {
        long once = 0;
        long written = 0;
        for (int i = 0; i < model.nodeCount(); i++) {
            once += model.isLeaf(i) ? size[i] : BRANCH_BYTES + 2 * CALL_BYTES;
            if (cut[i]) {
                written += size[i];
            }
        }
        for (int t = 0; t < model.treeCount(); t++) {
            written += size[model.treeStart(t)];
        }
        if (written > 2 * once + 65_536) {
            return "subtrees shared by several branches would be copied into about " + written + " bytes of code";
        }
        return null;
    }

    private int inline(int node) {
        return cut[node] ? CALL_BYTES : size[node];
    }

    /** Trees into methods up to the method budget, methods into classes up to the constant budget. */
    private String packTrees() {
        List<int[]> methods = new ArrayList<>();
        int classConstants = 0;
        int first = 0;
        int bytes = 0;
        for (int t = 0; t < model.treeCount(); t++) {
            int constants = constants(t);
            if (constants > CLASS_BUDGET) {
                return "tree " + t + " needs about " + constants + " constants, more than one class holds (" + CLASS_BUDGET + ")";
            }
            int treeBytes = size[model.treeStart(t)] + TREE_BYTES;
            if (t > first && classConstants + constants > CLASS_BUDGET) {
                methods.add(new int[] {first, t});
                layout.add(methods);
                methods = new ArrayList<>();
                classConstants = 0;
                first = t;
                bytes = 0;
            } else if (t > first && bytes + treeBytes > METHOD_BUDGET) {
                methods.add(new int[] {first, t});
                classConstants += METHOD_CONSTANTS;
                first = t;
                bytes = 0;
            }
            bytes += treeBytes;
            classConstants += constants;
        }
        methods.add(new int[] {first, model.treeCount()});
        layout.add(methods);
        return null;
    }

    /** Constant-pool entries tree {@code t} may add, from above: its thresholds, leaf values and sub-methods. */
    private int constants(int t) {
        int per = floats ? 1 : 2;
        int out = METHOD_CONSTANTS;
        for (int i = model.treeStart(t); i < model.treeStart(t + 1); i++) {
            out += model.isLeaf(i) && weights ? 2 * model.weightCount(i) : per;
            out += cut[i] ? METHOD_CONSTANTS : 0;
        }
        return out;
    }

    /** The classes' bytes, one per {@link #classCount()}. */
    List<byte[]> generate() {
        if (declined != null) {
            throw new IllegalStateException("declined: " + declined);
        }
        List<byte[]> out = new ArrayList<>(layout.size());
        for (List<int[]> methods : layout) {
            out.add(generateClass(methods));
        }
        return out;
    }

    private byte[] generateClass(List<int[]> methods) {
        // no COMPUTE_FRAMES: ASM would keep every method's control-flow graph with a frame per basic block until the
        // class is written (about 1 KB a node, measured); here every jump target has the same frame (the parameters,
        // an empty stack), written as it is visited (F_SAME), and the maximum stack is known (MAX_STACK)
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, CLASS_NAME, null, "java/lang/Object",
                new String[] {PART});
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();

        Deque<Integer> pending = new ArrayDeque<>();
        queued = new BitSet();
        for (int m = 0; m < methods.size(); m++) {
            int[] trees = methods.get(m);
            MethodVisitor mv = begin(cw, "g" + m);
            for (int t = trees[0]; t < trees[1]; t++) {
                Label end = new Label();
                writeTree(mv, model.treeStart(t), end, pending);
                target(mv, end);
            }
            finish(mv);
        }
        while (!pending.isEmpty()) {
            int root = pending.poll();
            MethodVisitor mv = begin(cw, "s" + root);
            Label end = new Label();
            writeTree(mv, root, end, pending);
            target(mv, end);
            finish(mv);
        }

        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, weights ? "add" : "sum", descriptor, null, null);
        mv.visitCode();
        for (int m = 0; m < methods.size(); m++) {
            mv.visitVarInsn(Opcodes.ALOAD, 1);
            mv.visitVarInsn(Opcodes.ILOAD, 2);
            if (weights) {
                mv.visitVarInsn(Opcodes.ALOAD, 3);
                mv.visitVarInsn(Opcodes.ALOAD, 4);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, CLASS_NAME, "g" + m, descriptor, false);
            } else {
                mv.visitVarInsn(floats ? Opcodes.FLOAD : Opcodes.DLOAD, 3);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, CLASS_NAME, "g" + m, descriptor, false);
                mv.visitVarInsn(floats ? Opcodes.FSTORE : Opcodes.DSTORE, 3);
            }
        }
        if (weights) {
            mv.visitInsn(Opcodes.RETURN);
        } else {
            mv.visitVarInsn(floats ? Opcodes.FLOAD : Opcodes.DLOAD, 3);
            mv.visitInsn(floats ? Opcodes.FRETURN : Opcodes.DRETURN);
        }
        mv.visitMaxs(MAX_STACK, MAX_LOCALS);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * A jump target and its stack map frame: the same at every target of these methods (the parameters, nothing on
     * the stack), and never two at one offset (code follows every target).
     */
    private static void target(MethodVisitor mv, Label label) {
        mv.visitLabel(label);
        mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
    }

    private MethodVisitor begin(ClassWriter cw, String name) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, name, descriptor, null, null);
        mv.visitCode();
        methodCount++;
        return mv;
    }

    /** Returns the running sum (or nothing), and records the method's size. */
    private void finish(MethodVisitor mv) {
        if (weights) {
            mv.visitInsn(Opcodes.RETURN);
        } else {
            mv.visitVarInsn(floats ? Opcodes.FLOAD : Opcodes.DLOAD, 2);
            mv.visitInsn(floats ? Opcodes.FRETURN : Opcodes.DRETURN);
        }
        Label last = new Label();
        mv.visitLabel(last);
        mv.visitMaxs(MAX_STACK, MAX_LOCALS);
        mv.visitEnd();
        largestMethod = Math.max(largestMethod, last.getOffset());
        if (last.getOffset() >= HUGE_METHOD) {
            // the bounds above make this unreachable; a method HotSpot would not compile must not pass unnoticed
            throw new IllegalStateException("a generated method has " + last.getOffset() + " bytes, over " + HUGE_METHOD);
        }
    }

    /**
     * The subtree at {@code root}, depth first without recursion (a chain can be thousands of nodes deep): a branch's
     * false child follows it, its true child follows the false child's code; every leaf and call jumps to {@code end}.
     */
    private void writeTree(MethodVisitor mv, int root, Label end, Deque<Integer> pending) {
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Object item = todo.pop();
            if (item instanceof Label) {
                target(mv, (Label) item);
                continue;
            }
            int i = (Integer) item;
            if (i != root && cut[i]) {
                writeCall(mv, i);
                if (!queued.get(i)) { // a subtree two branches share (PMML's encodings) gets one method
                    queued.set(i);
                    pending.add(i);
                }
                mv.visitJumpInsn(Opcodes.GOTO, end);
            } else if (model.isLeaf(i)) {
                writeLeaf(mv, i);
                mv.visitJumpInsn(Opcodes.GOTO, end);
            } else {
                Label yes = new Label();
                writeBranch(mv, i, yes);
                todo.push(model.trueChild(i));
                todo.push(yes);
                todo.push(i + 1);
            }
        }
    }

    private void writeCall(MethodVisitor mv, int node) {
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        if (weights) {
            mv.visitVarInsn(Opcodes.ALOAD, 2);
            mv.visitVarInsn(Opcodes.ALOAD, 3);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, CLASS_NAME, "s" + node, descriptor, false);
        } else {
            mv.visitVarInsn(floats ? Opcodes.FLOAD : Opcodes.DLOAD, 2);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, CLASS_NAME, "s" + node, descriptor, false);
            mv.visitVarInsn(floats ? Opcodes.FSTORE : Opcodes.DSTORE, 2);
        }
    }

    /**
     * {@code acc += value} in the threshold type (the interpreter's {@code acc += (float) value[leaf]}), or for each
     * (target, weight) pair in order {@code scores[k] = round(scores[k] + w); has[k] = true}.
     */
    private void writeLeaf(MethodVisitor mv, int leaf) {
        if (!weights) {
            if (floats) {
                mv.visitVarInsn(Opcodes.FLOAD, 2);
                mv.visitLdcInsn((float) model.value(leaf));
                mv.visitInsn(Opcodes.FADD);
                mv.visitVarInsn(Opcodes.FSTORE, 2);
            } else {
                mv.visitVarInsn(Opcodes.DLOAD, 2);
                mv.visitLdcInsn(model.value(leaf));
                mv.visitInsn(Opcodes.DADD);
                mv.visitVarInsn(Opcodes.DSTORE, 2);
            }
            return;
        }
        int from = model.weightStart(leaf);
        for (int w = from; w < from + model.weightCount(leaf); w++) {
            int k = model.weightTarget(w);
            mv.visitVarInsn(Opcodes.ALOAD, 2);
            pushInt(mv, k);
            mv.visitInsn(Opcodes.DUP2);
            mv.visitInsn(Opcodes.DALOAD);
            mv.visitLdcInsn(model.weightValue(w));
            mv.visitInsn(Opcodes.DADD);
            if (floats) {
                mv.visitInsn(Opcodes.D2F);
                mv.visitInsn(Opcodes.F2D);
            }
            mv.visitInsn(Opcodes.DASTORE);
            mv.visitVarInsn(Opcodes.ALOAD, 3);
            pushInt(mv, k);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitInsn(Opcodes.BASTORE);
        }
    }

    /**
     * Jumps to {@code yes} when {@code x OP threshold} holds, or {@code x} is NaN and the node sends missing values to
     * its true child. {@code fcmpl} gives -1 for NaN and {@code fcmpg} +1: choosing one makes an unordered comparison
     * false (NaN fails every comparison but NEQ), or true when the node sends NaN to the true child and the threshold
     * itself is not NaN, in one compare.
     */
    private void writeBranch(MethodVisitor mv, int node, Label yes) {
        NodeMode mode = model.mode(node);
        double threshold = model.value(node);
        boolean missingTrue = model.missingTracksTrue(node) && !Double.isNaN(threshold);
        int feature = model.feature(node);
        load(mv, feature);
        if (floats) {
            mv.visitLdcInsn((float) threshold);
        } else {
            mv.visitLdcInsn(threshold);
        }
        boolean less;
        int jump;
        switch (mode) {
            case BRANCH_LEQ:
                less = missingTrue;
                jump = Opcodes.IFLE;
                break;
            case BRANCH_LT:
                less = missingTrue;
                jump = Opcodes.IFLT;
                break;
            case BRANCH_GTE:
                less = !missingTrue;
                jump = Opcodes.IFGE;
                break;
            case BRANCH_GT:
                less = !missingTrue;
                jump = Opcodes.IFGT;
                break;
            case BRANCH_EQ:
                less = true;
                jump = Opcodes.IFEQ;
                break;
            case BRANCH_NEQ:
                less = true; // NaN gives -1, not equal: taken, as NaN != threshold is true
                jump = Opcodes.IFNE;
                break;
            default:
                throw new IllegalStateException("node " + node + " has mode " + mode + ", which BytecodeTrees declines");
        }
        mv.visitInsn(floats ? (less ? Opcodes.FCMPL : Opcodes.FCMPG) : (less ? Opcodes.DCMPL : Opcodes.DCMPG));
        mv.visitJumpInsn(jump, yes);
        boolean nanCheck = model.missingTracksTrue(node) && mode != NodeMode.BRANCH_NEQ
                && (mode == NodeMode.BRANCH_EQ || Double.isNaN(threshold));
        if (nanCheck) {
            load(mv, feature);
            mv.visitInsn(floats ? Opcodes.DUP : Opcodes.DUP2);
            mv.visitInsn(floats ? Opcodes.FCMPL : Opcodes.DCMPL);
            mv.visitJumpInsn(Opcodes.IFNE, yes);
        }
    }

    /** {@code x[off + feature]}. */
    private void load(MethodVisitor mv, int feature) {
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        if (feature != 0) {
            pushInt(mv, feature);
            mv.visitInsn(Opcodes.IADD);
        }
        mv.visitInsn(floats ? Opcodes.FALOAD : Opcodes.DALOAD);
    }

    private static void pushInt(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(Opcodes.ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }
}
