package io.kafkube.registry.internals;

import io.kafkube.registry.client.CompatibilityLevel;
import io.kafkube.registry.internals.Compatibility.Earlier;
import io.kafkube.registry.internals.RegistryRecord.Config;
import io.kafkube.registry.internals.RegistryRecord.IdWatermark;
import io.kafkube.registry.internals.RegistryRecord.SchemaTombstone;
import io.kafkube.registry.internals.RegistryRecord.SchemaVersion;
import io.kafkube.registry.internals.RegistryState.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The registry's operations as pure functions of a {@link RegistryState}: queries answer or throw
 * Confluent's errors; writes return a {@link Plan} (the answer and the records that make it true).
 * The server writes the records to its topic; the in-memory client applies them to its map.
 */
public final class RegistryOps {
  private RegistryOps() {}

  /** The answer of a write and the records to append for it (none when nothing changes). */
  public record Plan<R>(R result, List<RegistryRecord> records) {
    public static <R> Plan<R> of(R result, RegistryRecord... records) {
      return new Plan<>(result, List.of(records));
    }
  }

  /** Marker of "latest" in a parsed version spec. */
  public static final int LATEST = -1;

  /** Parses a version path segment: "latest", -1, or 1..2^31-1; 42202 otherwise. */
  public static int parseVersion(String spec) {
    if (spec == null || spec.equalsIgnoreCase("latest")) {
      return LATEST;
    }
    try {
      int v = Integer.parseInt(spec.trim());
      if (v == -1) {
        return LATEST;
      }
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw Errors.invalidVersion(spec);
  }

  // ---------------------------------------------------------------- queries

  /** A version of a subject ({@link #LATEST} for the latest). */
  public static Entry version(RegistryState state, String subject, int version, boolean includeDeleted) {
    List<Entry> versions = state.versions(subject, includeDeleted);
    if (versions.isEmpty()) {
      throw Errors.subjectNotFound(subject);
    }
    if (version == LATEST) {
      return versions.get(versions.size() - 1);
    }
    for (Entry e : versions) {
      if (e.version() == version) {
        return e;
      }
    }
    throw Errors.versionNotFound(subject, version);
  }

  /** The live version list of a subject; 40401 when none. */
  public static List<Integer> versionNumbers(RegistryState state, String subject, boolean includeDeleted) {
    List<Entry> versions = state.versions(subject, includeDeleted);
    if (versions.isEmpty()) {
      throw Errors.subjectNotFound(subject);
    }
    return versions.stream().map(Entry::version).toList();
  }

  /** The version of {@code subject} holding {@code schema}; 40401 / 40403 when absent. */
  public static Entry lookup(RegistryState state, String subject, Schema schema, boolean includeDeleted) {
    List<Entry> versions = state.versions(subject, includeDeleted);
    if (versions.isEmpty()) {
      throw Errors.subjectNotFound(subject);
    }
    String canonical = Schemas.canonical(schema);
    Entry found = null;
    for (Entry e : versions) {
      if (e.canonical().equals(canonical) && (found == null || found.deleted() || !e.deleted())) {
        found = e;
      }
    }
    if (found == null) {
      throw Errors.schemaNotFound();
    }
    return found;
  }

  /** Like {@link #lookup} but empty instead of 40401/40403. */
  public static Optional<Entry> find(RegistryState state, String subject, Schema schema) {
    String canonical = Schemas.canonical(schema);
    return state.versions(subject, false).stream().filter(e -> e.canonical().equals(canonical)).findFirst();
  }

  /** A schema by id; 40403 when unknown. */
  public static RegistryState.StoredSchema byId(RegistryState state, int id) {
    return state.schemaById(id).orElseThrow(() -> Errors.schemaIdNotFound(id));
  }

  /**
   * The incompatibilities of {@code schema} for the subject: with {@code version} null or
   * {@link #LATEST} as registration would check them, else against that version only.
   */
  public static List<String> compatibility(RegistryState state, String subject, Integer version, Schema schema) {
    CompatibilityLevel level = state.effectiveLevel(subject);
    List<Entry> live = state.versions(subject, false);
    if (version == null || version == LATEST) {
      return Compatibility.check(level, schema, earlier(live));
    }
    Entry e = version(state, subject, version, false);
    return Compatibility.check(level, schema, List.of(new Earlier(e.version(), e.schema())));
  }

  /** The compatibility level configured for a subject; with a fallback to the global one if asked. */
  public static CompatibilityLevel subjectConfig(RegistryState state, String subject, boolean defaultToGlobal) {
    Optional<CompatibilityLevel> own = state.subjectLevel(subject);
    if (own.isPresent()) {
      return own.get();
    }
    if (defaultToGlobal) {
      return state.globalLevel();
    }
    throw Errors.subjectCompatibilityNotConfigured(subject);
  }

  private static List<Earlier> earlier(List<Entry> live) {
    List<Earlier> out = new ArrayList<>(live.size());
    for (Entry e : live) {
      out.add(new Earlier(e.version(), e.schema()));
    }
    return out;
  }

  // ---------------------------------------------------------------- writes

  /** Registers a schema: the existing id when it is a live version already, else a new version. */
  public static Plan<Integer> register(RegistryState state, String subject, Schema schema) {
    if (subject == null || subject.isEmpty()) {
      throw Errors.invalidSchema("Invalid subject: empty");
    }
    String canonical = Schemas.canonical(schema);
    List<Entry> all = state.versions(subject, true);
    List<Entry> live = new ArrayList<>();
    for (Entry e : all) {
      if (!e.deleted()) {
        if (e.canonical().equals(canonical)) {
          return Plan.of(e.id());
        }
        live.add(e);
      }
    }
    List<String> problems = Compatibility.check(state.effectiveLevel(subject), schema, earlier(live));
    if (!problems.isEmpty()) {
      throw Errors.incompatible("Schema being registered is incompatible with an earlier schema for subject \""
          + subject + "\", details: " + problems);
    }
    int id = state.idOf(canonical).orElseGet(() -> state.maxId() + 1);
    int version = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
    return Plan.of(id, new SchemaVersion(subject, version, id, canonical, false));
  }

  /** Soft-deletes every live version, or permanently deletes a soft-deleted subject. */
  public static Plan<List<Integer>> deleteSubject(RegistryState state, String subject, boolean permanent) {
    List<Entry> all = state.versions(subject, true);
    if (all.isEmpty()) {
      throw Errors.subjectNotFound(subject);
    }
    List<Entry> live = all.stream().filter(e -> !e.deleted()).toList();
    List<RegistryRecord> records = new ArrayList<>();
    if (!permanent) {
      if (live.isEmpty()) {
        throw Errors.subjectSoftDeleted(subject);
      }
      for (Entry e : live) {
        records.add(new SchemaVersion(subject, e.version(), e.id(), e.canonical(), true));
      }
      return new Plan<>(live.stream().map(Entry::version).toList(), records);
    }
    if (!live.isEmpty()) {
      throw Errors.subjectNotSoftDeleted(subject);
    }
    records.add(new IdWatermark(state.maxId()));
    for (Entry e : all) {
      records.add(new SchemaTombstone(subject, e.version()));
    }
    if (state.subjectLevel(subject).isPresent()) {
      records.add(new Config(subject, null));
    }
    return new Plan<>(all.stream().map(Entry::version).toList(), records);
  }

  /** Soft-deletes one version, or permanently deletes a soft-deleted one. */
  public static Plan<Integer> deleteVersion(RegistryState state, String subject, int version, boolean permanent) {
    List<Entry> all = state.versions(subject, true);
    if (all.isEmpty()) {
      throw Errors.subjectNotFound(subject);
    }
    Entry target = null;
    if (version == LATEST) {
      List<Entry> candidates = permanent ? all : all.stream().filter(e -> !e.deleted()).toList();
      if (candidates.isEmpty()) {
        throw Errors.subjectNotFound(subject);
      }
      target = candidates.get(candidates.size() - 1);
    } else {
      for (Entry e : all) {
        if (e.version() == version) {
          target = e;
        }
      }
    }
    if (target == null) {
      throw Errors.versionNotFound(subject, version);
    }
    if (!permanent) {
      if (target.deleted()) {
        throw Errors.versionSoftDeleted(subject, target.version());
      }
      return Plan.of(target.version(),
          new SchemaVersion(subject, target.version(), target.id(), target.canonical(), true));
    }
    if (!target.deleted()) {
      throw Errors.versionNotSoftDeleted(subject, target.version());
    }
    return Plan.of(target.version(), new IdWatermark(state.maxId()), new SchemaTombstone(subject, target.version()));
  }

  /** Sets the level of a subject, or the global one when subject is null. */
  public static Plan<CompatibilityLevel> setConfig(RegistryState state, String subject, CompatibilityLevel level) {
    return Plan.of(level, new Config(subject, level));
  }

  /** Removes a subject's own level; answers the level it had (or the global one). */
  public static Plan<CompatibilityLevel> deleteConfig(RegistryState state, String subject) {
    Optional<CompatibilityLevel> own = state.subjectLevel(subject);
    if (own.isEmpty()) {
      if (state.versions(subject, true).isEmpty()) {
        throw Errors.subjectNotFound(subject);
      }
      return Plan.of(state.globalLevel());
    }
    return Plan.of(own.get(), new Config(subject, null));
  }
}
