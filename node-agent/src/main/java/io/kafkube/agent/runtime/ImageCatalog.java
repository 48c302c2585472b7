package io.kafkube.agent.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The images the process runtime can "run": each names the host executable it needs and the
 * entrypoint and default command the real image has ({@code python:3} runs {@code python3},
 * {@code busybox} runs {@code sh}). Registry, {@code library/} and digest are ignored; a tag must
 * fit the entry (python 3.x only).
 */
public final class ImageCatalog {
  /** One image: its entrypoint and default command (Docker's ENTRYPOINT and CMD). */
  public record Image(String repository, List<String> entrypoint, List<String> cmd, String needs) {}

  private static final Map<String, Image> IMAGES = Map.of(
      "busybox", new Image("busybox", List.of(), List.of("sh"), "sh"),
      "alpine", new Image("alpine", List.of(), List.of("/bin/sh"), "sh"),
      "debian", new Image("debian", List.of(), List.of("bash"), "bash"),
      "ubuntu", new Image("ubuntu", List.of(), List.of("bash"), "bash"),
      "bash", new Image("bash", List.of(), List.of("bash"), "bash"),
      "python", new Image("python", List.of(), List.of("python3"), "python3"),
      "pause", new Image("pause", List.of("sleep"), List.of("infinity"), "sleep"));

  private ImageCatalog() {}

  /** The repository part of a reference: {@code docker.io/library/python:3.12@sha256:…} → {@code python}. */
  static String repository(String image) {
    String s = image;
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    int slash = s.lastIndexOf('/');
    int colon = s.lastIndexOf(':');
    if (colon > slash) {
      s = s.substring(0, colon);
    }
    return s.substring(slash + 1).toLowerCase(Locale.ROOT);
  }

  static String tag(String image) {
    String s = image;
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    int slash = s.lastIndexOf('/');
    int colon = s.lastIndexOf(':');
    return colon > slash ? s.substring(colon + 1) : "latest";
  }

  /**
   * The image, checked against the host: its executable must be on {@code path}.
   *
   * @throws ImageException with kubelet-like wording when it cannot run
   */
  public static Image resolve(String image, String path) throws ImageException {
    if (image == null || image.isBlank()) {
      throw new ImageException("no image given");
    }
    Image img = IMAGES.get(repository(image));
    if (img == null) {
      throw new ImageException("Failed to pull image \"" + image + "\": the process runtime has no such image; it runs "
          + String.join(", ", IMAGES.keySet().stream().sorted().toList()) + " (as processes of this machine)");
    }
    String tag = tag(image);
    if (img.repository().equals("python") && !(tag.equals("latest") || tag.startsWith("3"))) {
      throw new ImageException("Failed to pull image \"" + image + "\": the process runtime runs python 3 only");
    }
    if (which(img.needs(), path).isEmpty()) {
      throw new ImageException("Failed to pull image \"" + image + "\": it needs " + img.needs()
          + " on this machine's PATH, which has none");
    }
    return img;
  }

  /** The executable a command name resolves to on {@code path}, as execve(3) with PATH search does. */
  public static Optional<Path> which(String command, String path) {
    if (command.contains("/")) {
      Path p = Path.of(command);
      return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : (path == null ? "" : path).split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, command);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
