package dev.handoff;

import dev.handoff.ReloadingScorer.ReloadResult;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link ReloadingScorer} knows about its files between checks: whether they changed, and which
 * files the last rejection was about.
 *
 * <pre>{@code
 * List<ModelFileWatch.FileState> now = watch.states();
 * if (watch.changedSince(now)) { byte[] bytes = watch.readModel(); ... }
 * }</pre>
 *
 * <p>A file's state is its real path (after symbolic links, so the {@code ..data} link swap of a Kubernetes
 * ConfigMap counts) and what {@link GuardedFileReader.Snapshot} tells without opening it: file key (inode),
 * size, modification and status-change times, permission bits. A rejection is remembered with the states of
 * every watched file: the same files are not tried again (nor reported again) until one of them changes in
 * any of these ways ({@code chmod 644} after a {@code chmod 000} rejection included), or once more at the
 * next check when the rejection was an I/O failure or a timeout. Two different bad candidates are two rejections even when their
 * reasons read the same. Not thread-safe: the scorer's check lock guards it.
 */
final class ModelFileWatch {

    /** One watched file as a check saw it. */
    record FileState(Path realPath, GuardedFileReader.Snapshot snapshot, String unreadable) {

        static FileState of(Path path) {
            try {
                Path real = path.toRealPath();
                return new FileState(real, GuardedFileReader.Snapshot.of(real), null);
            } catch (NoSuchFileException e) {
                return new FileState(null, null, "the file does not exist");
            } catch (IOException e) {
                return new FileState(null, null, "its attributes cannot be read (" + e + ")");
            }
        }
    }

    /** The last rejection: the files it was about, what reload() answered, whether those files are worth another try. */
    private record Rejection(List<FileState> files, ReloadResult result, boolean retryable) {
    }

    private final Path model;
    /** The model file, then the verification files whose change also makes the model a candidate again. */
    private final List<Path> watched;
    private final long maxModelBytes;
    private List<FileState> lastSeen;
    private Rejection lastRejection;

    ModelFileWatch(Path model, List<Path> verificationFiles, long maxModelBytes) {
        this.model = model;
        List<Path> files = new ArrayList<>();
        files.add(model);
        files.addAll(verificationFiles);
        this.watched = List.copyOf(files);
        this.maxModelBytes = maxModelBytes;
        this.lastSeen = states();
    }

    /** The state of every watched file now. */
    List<FileState> states() {
        List<FileState> states = new ArrayList<>(watched.size());
        for (Path file : watched) {
            states.add(FileState.of(file));
        }
        return states;
    }

    /**
     * Whether a scheduled check has something to do: a file changed since the last check, or the last
     * rejection was an I/O failure worth another try. Remembers {@code now} as seen.
     */
    boolean changedSince(List<FileState> now) {
        boolean changed = !now.equals(lastSeen) || (lastRejection != null && lastRejection.retryable());
        lastSeen = now;
        return changed;
    }

    /** What was answered for these very files when they were rejected for good, or {@code null}. */
    ReloadResult rejectedBefore(List<FileState> now) {
        return lastRejection != null && !lastRejection.retryable() && lastRejection.files().equals(now) ? lastRejection.result() : null;
    }

    /** Whether these files were rejected last time (then the rejection is neither logged nor told again). */
    boolean rejectedLastTime(List<FileState> now) {
        return lastRejection != null && lastRejection.files().equals(now);
    }

    void rejected(List<FileState> files, ReloadResult result, boolean retryable) {
        lastRejection = new Rejection(files, result, retryable);
    }

    /** The files hold the serving model (a new one, or the old one again): any later candidate is new. */
    void settled() {
        lastRejection = null;
    }

    /** The model file's bytes, through the guarded reader. */
    byte[] readModel() throws GuardedFileReader.Refused {
        return GuardedFileReader.read(model, maxModelBytes, "maxModelBytes (" + maxModelBytes + "); raise "
                + "ScorerOptions.maxModelBytes if this model is expected");
    }
}
