package io.netprobe.cli.connect.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import io.netprobe.cli.connect.session.AgentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Commands and files on an SSH node: one-shot exec, and SFTP uploads into a cache by hash. */
public final class SshRemote {
  private static final long STALE_SECONDS = 600;
  private final Session session;
  private final String where;

  public SshRemote(Session session, String where) {
    this.session = session;
    this.where = where;
  }

  public record Result(int exit, String out) {}

  /** Runs a command to its end (stdout and stderr together), bounded by {@code timeoutMs}. */
  public Result exec(String command, long timeoutMs) {
    ChannelExec ch = null;
    try {
      ch = (ChannelExec) session.openChannel("exec");
      ch.setCommand(command);
      ch.setInputStream(null);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ch.setErrStream(out, true);
      InputStream in = ch.getInputStream();
      ch.connect((int) timeoutMs);
      long deadline = System.currentTimeMillis() + timeoutMs;
      byte[] buf = new byte[8192];
      while (true) {
        while (in.available() > 0) {
          int n = in.read(buf);
          if (n < 0) {
            break;
          }
          out.write(buf, 0, n);
        }
        if (ch.isClosed() && in.available() == 0) {
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new AgentException(
              "TIMEOUT", where + ": `" + command + "` took over " + timeoutMs + " ms");
        }
        Thread.sleep(10);
      }
      return new Result(ch.getExitStatus(), out.toString(StandardCharsets.UTF_8));
    } catch (JSchException | IOException e) {
      throw new AgentException(
          "EXEC_FAILED", where + ": cannot run `" + command + "`: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("INTERRUPTED", where + ": interrupted running `" + command + "`");
    } finally {
      if (ch != null) {
        ch.disconnect();
      }
    }
  }

  public ChannelSftp sftp() {
    try {
      ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
      sftp.connect(15_000);
      return sftp;
    } catch (JSchException e) {
      throw new AgentException("SFTP_FAILED", where + ": cannot open SFTP: " + e.getMessage(), e);
    }
  }

  public static boolean exists(ChannelSftp sftp, String path) {
    try {
      sftp.stat(path);
      return true;
    } catch (SftpException e) {
      return false;
    }
  }

  static void mkdirs(ChannelSftp sftp, String path) throws SftpException {
    StringBuilder at = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      at.append('/').append(part);
      if (!exists(sftp, at.toString())) {
        sftp.mkdir(at.toString());
      }
    }
  }

  /**
   * Uploads {@code local} (a file or a directory tree) to {@code remote} unless it is there: under
   * a temporary name first, renamed when complete, so a half upload is never mistaken for the
   * cache. Returns the bytes sent (0 when cached).
   */
  public static long upload(ChannelSftp sftp, Path local, String remote, String runId)
      throws SftpException, IOException {
    if (exists(sftp, remote)) {
      return 0;
    }
    String parent = remote.substring(0, remote.lastIndexOf('/'));
    mkdirs(sftp, parent);
    removeStaleParts(sftp, parent);
    String part = remote + ".np-part-" + runId;
    long sent = 0;
    try {
      if (Files.isDirectory(local)) {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(local)) {
          all = walk.sorted().toList();
        }
        for (Path p : all) {
          String target = part + (p.equals(local) ? "" : "/" + local.relativize(p));
          if (Files.isDirectory(p)) {
            sftp.mkdir(target);
          } else {
            sent += put(sftp, p, target);
          }
        }
      } else {
        sent += put(sftp, local, part);
      }
      try {
        sftp.rename(part, remote);
      } catch (SftpException e) {
        if (!exists(sftp, remote)) {
          throw e;
        }
        removeTree(sftp, part); // a parallel run finished the same upload first
      }
      return sent;
    } catch (SftpException | IOException e) {
      removeTree(sftp, part);
      throw e;
    }
  }

  private static long put(ChannelSftp sftp, Path p, String target)
      throws SftpException, IOException {
    try (InputStream in = Files.newInputStream(p)) {
      sftp.put(in, target);
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
    sftp.chmod(perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644, target);
    return Files.size(p);
  }

  /** Half uploads of runs killed mid-way (over 10 minutes old) go before a new upload. */
  private static void removeStaleParts(ChannelSftp sftp, String dir) throws SftpException {
    long cutoff = System.currentTimeMillis() / 1000 - STALE_SECONDS;
    for (Object o : sftp.ls(dir)) {
      ChannelSftp.LsEntry e = (ChannelSftp.LsEntry) o;
      if (e.getFilename().contains(".np-part-") && e.getAttrs().getMTime() < cutoff) {
        removeTree(sftp, dir + "/" + e.getFilename());
      }
    }
  }

  /** Removes a remote file or tree; quietly does nothing when it is not there. */
  public static void removeTree(ChannelSftp sftp, String path) {
    try {
      SftpATTRS attrs = sftp.lstat(path);
      if (attrs.isDir()) {
        for (Object o : sftp.ls(path)) {
          String name = ((ChannelSftp.LsEntry) o).getFilename();
          if (!name.equals(".") && !name.equals("..")) {
            removeTree(sftp, path + "/" + name);
          }
        }
        sftp.rmdir(path);
      } else {
        sftp.rm(path);
      }
    } catch (SftpException e) {
      // not there (any more)
    }
  }
}
