package io.kafkube.cli.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <data-dir>/endpoints.json}: where a running cluster listens ({@code kafka}, {@code registry},
 * and as they come to exist {@code api}, {@code etcd}, {@code kubeconfig}), plus the cluster's
 * {@code prefix} and {@code partitions}. Other commands read it to find the cluster.
 */
public record Endpoints(Map<String, String> values) {
  public static final String FILE = "endpoints.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public Endpoints {
    values = Map.copyOf(values);
  }

  public String get(String name) {
    return values.get(name);
  }

  public static Endpoints read(Path dataDir) {
    Path f = dataDir.resolve(FILE);
    if (!Files.exists(f)) {
      throw new IllegalStateException("no " + f + ": is `kafkube up` running with --data-dir " + dataDir + "?");
    }
    try {
      ObjectNode n = (ObjectNode) JSON.readTree(f.toFile());
      Map<String, String> m = new LinkedHashMap<>();
      n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
      return new Endpoints(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes atomically (a temp file renamed over the old one). */
  public void write(Path dataDir) {
    ObjectNode n = JSON.createObjectNode();
    values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> n.put(e.getKey(), e.getValue()));
    try {
      Path tmp = dataDir.resolve(FILE + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), n);
      Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void delete(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
