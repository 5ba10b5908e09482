package io.netprobe.cli.connect.artefact;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.netprobe.agent.Capabilities;
import io.netprobe.cli.connect.ConnectListener;
import io.netprobe.cli.connect.ConnectOptions;
import io.netprobe.cli.connect.cleanup.Cleanup;
import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.docker.DockerClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The sidecar image {@code np-agent:<hash>}, built offline: the jlink runtime, the agent jar, and
 * the shared libraries they load (glibc's loader, libc, libz, libpcap and its dependencies, found
 * with ldd) at the paths this machine has them, in a root file system tar that {@code docker
 * import} takes. No registry, no base image: it works beside busybox, distroless or Debian targets.
 */
public final class AgentImage {
  public static final String REPOSITORY = "np-agent";
  static final String HOME = "/opt/netprobe";
  public static final String JAVA = HOME + "/jre/bin/java";
  public static final String JAR = HOME + "/" + AgentJar.NAME;
  public static final String LIBRARY_PATH =
      "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib/aarch64-linux-gnu:"
          + "/usr/lib/aarch64-linux-gnu:/lib64:/lib:/usr/lib";
  private static final Pattern LDD = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x");

  private AgentImage() {}

  /** The image's tag for this agent jar and runtime. */
  public static String tag(Path agentJar) {
    return io.netprobe.agent.text.Sha256.hex(
            AgentJar.sha256(agentJar) + RuntimeImage.key() + Capabilities.libpcap())
        .substring(0, 12);
  }

  /** The image name, built now when Docker does not have it. */
  public static synchronized String ensure(DockerClient docker, ConnectOptions o) {
    String name = REPOSITORY + ":" + tag(o.jar());
    try {
      docker.inspectImageCmd(name).exec();
      return name;
    } catch (NotFoundException e) {
      o.listener().event("docker", "building the agent image " + name);
      build(o.jar(), tag(o.jar()), o.listener());
      // each build made its own ~100 MB image: the older ones go, unless a container uses one
      for (Cleanup.Leftover old : Cleanup.oldImages(docker, name, false)) {
        o.listener().event("docker", "removed the older agent image " + old.id());
      }
      return name;
    }
  }

  /** Builds and imports the image; returns the size of the root file system tar. */
  public static long build(Path agentJar, String tag, ConnectListener listener) {
    Path runtime = RuntimeImage.ensure(listener);
    try {
      byte[] tar = rootfs(runtime, agentJar);
      DockerClients.importImage(REPOSITORY, tag + "-base", tar);
      try (DockerClient docker = DockerClients.connect()) {
        boolean cds =
            ImageTraining.finish(docker, REPOSITORY + ":" + tag + "-base", REPOSITORY, tag);
        listener.event(
            "docker",
            cds
                ? "AppCDS archive baked into the image"
                : "the image has no AppCDS archive (training failed): sidecars start a little slower");
      }
      return tar.length;
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new AgentException(
          "IMAGE_FAILED",
          "cannot build the agent image "
              + REPOSITORY
              + ":"
              + tag
              + ": "
              + e.getMessage()
              + "; is ldd (libc-bin) there and dockerd running?",
          e);
    }
  }

  static byte[] rootfs(Path runtime, Path agentJar) throws IOException, InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 << 20);
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String dir : List.of("tmp", "proc", "sys", "dev", "etc", "opt", HOME.substring(1))) {
        directory(tar, dir, dir.equals("tmp") ? 01777 : 0755);
      }
      List<Path> libs = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(runtime)) {
        for (Path p : walk.sorted().toList()) {
          String name =
              HOME.substring(1) + "/jre" + (p.equals(runtime) ? "" : "/" + runtime.relativize(p));
          if (Files.isDirectory(p)) {
            directory(tar, name, 0755);
          } else {
            file(tar, name, p);
            if (p.getFileName().toString().endsWith(".so") || p.endsWith(Path.of("bin/java"))) {
              libs.add(p);
            }
          }
        }
      }
      file(tar, JAR.substring(1), agentJar);
      String pcap = Capabilities.libpcap();
      Set<String> shared = new TreeSet<>();
      if (pcap != null) {
        libs.add(Path.of(pcap));
        shared.add(pcap);
      }
      for (String need :
          List.of("libz.so.1", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libm.so.6")) {
        Path lib = Path.of("/lib/x86_64-linux-gnu", need);
        if (Files.exists(lib)) {
          libs.add(lib);
          shared.add(lib.toString());
        }
      }
      shared.addAll(ldd(libs, runtime));
      Set<String> dirs = new TreeSet<>();
      for (String lib : shared) {
        String parent = lib.substring(1, lib.lastIndexOf('/'));
        for (int i = parent.indexOf('/'); ; i = parent.indexOf('/', i + 1)) {
          dirs.add(i < 0 ? parent : parent.substring(0, i));
          if (i < 0) {
            break;
          }
        }
      }
      for (String dir : dirs) {
        if (!dir.equals("opt") && !dir.equals("etc")) {
          directory(tar, dir, 0755);
        }
      }
      for (String lib : shared) {
        file(tar, lib.substring(1), Path.of(lib).toRealPath());
      }
      byte[] passwd = "root:x:0:0:root:/tmp:/nonexistent\n".getBytes(StandardCharsets.US_ASCII);
      TarArchiveEntry e = new TarArchiveEntry("etc/passwd");
      e.setSize(passwd.length);
      e.setMode(0644);
      tar.putArchiveEntry(e);
      tar.write(passwd);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  /** Every shared library the files load, by the paths ldd resolves them to (loader included). */
  static Set<String> ldd(List<Path> files, Path runtime) throws IOException, InterruptedException {
    Set<String> found = new TreeSet<>();
    List<Path> existing = files.stream().filter(Files::exists).toList();
    List<String> cmd = new ArrayList<>(List.of("ldd"));
    existing.forEach(p -> cmd.add(p.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Matcher m = LDD.matcher(out);
    while (m.find()) {
      String lib = Path.of(m.group(1)).normalize().toString();
      boolean ours = lib.startsWith(runtime.toString()) || lib.contains("/jvm/");
      if (!ours && Files.exists(Path.of(lib))) {
        found.add(lib);
      }
    }
    return found;
  }

  private static void directory(TarArchiveOutputStream tar, String name, int mode)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name + "/");
    e.setMode(mode);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, Path p) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(Files.size(p));
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
    e.setMode(perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644);
    tar.putArchiveEntry(e);
    Files.copy(p, tar);
    tar.closeArchiveEntry();
  }
}
