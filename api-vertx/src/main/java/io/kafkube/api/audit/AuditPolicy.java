package io.kafkube.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kafkube.api.authz.Attributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * kube-apiserver's audit policy ({@code --audit-policy-file}): an {@code audit.k8s.io/v1 Policy}
 * whose first rule matching a request decides its audit level; a request no rule matches is not
 * audited (level None). Rules match by user, group, verb, resource (group, resources with
 * {@code *}, {@code pods/*}, {@code *}{@code /scale} forms, resourceNames), namespace or
 * non-resource URL ({@code /healthz*}), as kube's policy checker does. Immutable.
 *
 * <p>Stages: an event is written at {@code RequestReceived} (once the user is known, before the request
 * is authorized and handled), at {@code ResponseStarted} for long-running requests only (watch, proxy,
 * and the {@code log}, {@code exec}, {@code attach}, {@code portforward} and {@code proxy} subresources,
 * as kube's {@code BasicLongRunningRequestCheck}; when the response headers or the WebSocket upgrade
 * are sent), at {@code ResponseComplete} when the response ends and at {@code Panic} instead when the
 * handler threw. The policy's {@code omitStages} and the matching rule's are both honoured.
 * {@code omitManagedFields} (policy-wide, a rule's own value overriding it when set) drops
 * {@code metadata.managedFields} from requestObject and responseObject (and from the items of lists).
 *
 * <p>{@link #METADATA_FOR_ALL} is the policy of a server given none. kube-apiserver audits nothing
 * without a policy; kafkube has always recorded every request at {@code Metadata}, and keeps doing so,
 * but omits the {@code RequestReceived} stage (as kube policies commonly do, kube-up's GCE policy
 * among them): one event per ordinary request, at {@code ResponseComplete}, as before, plus
 * {@code ResponseStarted} for long-running requests. That also keeps the default cost per request at one
 * queued record. A policy file that wants {@code RequestReceived} simply does not omit it.
 */
public final class AuditPolicy {
  /** Audit levels, in increasing detail. */
  public enum Level {
    None, Metadata, Request, RequestResponse;

    public boolean atLeast(Level other) {
      return compareTo(other) >= 0;
    }
  }

  /** The stages of a request an event can be emitted at. */
  public enum Stage { RequestReceived, ResponseStarted, ResponseComplete, Panic }

  /** One {@code resources} entry of a rule. */
  public record GroupResources(String group, List<String> resources, List<String> resourceNames) {}

  /**
   * One rule; empty lists match everything. {@code omitManagedFields} null: the policy's value.
   */
  public record Rule(Level level, List<String> users, List<String> userGroups, List<String> verbs,
      List<GroupResources> resources, List<String> namespaces, List<String> nonResourceUrls,
      Set<Stage> omitStages, Boolean omitManagedFields) {
    /** A rule that leaves omitManagedFields to the policy. */
    public Rule(Level level, List<String> users, List<String> userGroups, List<String> verbs,
        List<GroupResources> resources, List<String> namespaces, List<String> nonResourceUrls,
        Set<Stage> omitStages) {
      this(level, users, userGroups, verbs, resources, namespaces, nonResourceUrls, omitStages, null);
    }
  }

  /**
   * What the policy decides for one request: its level, the stages not to record and whether
   * managedFields are left out of the recorded objects.
   */
  public record Decision(Level level, Set<Stage> omitStages, boolean omitManagedFields) {
    public Decision(Level level, Set<Stage> omitStages) {
      this(level, omitStages, false);
    }

    public boolean records(Stage stage) {
      return level != Level.None && !omitStages.contains(stage);
    }
  }

  /**
   * A server without a policy file: every request at level Metadata (kafkube's default), without the
   * RequestReceived stage (see the class comment).
   */
  public static final AuditPolicy METADATA_FOR_ALL = new AuditPolicy(List.of(new Rule(Level.Metadata, List.of(),
      List.of(), List.of(), List.of(), List.of(), List.of(), Set.of())), Set.of(Stage.RequestReceived));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Decision NONE = new Decision(Level.None, Set.of());

  private final List<Rule> rules;
  private final Set<Stage> omitStages;
  private final boolean omitManagedFields;
  private final boolean anyRequestResponse;

  public AuditPolicy(List<Rule> rules, Set<Stage> omitStages) {
    this(rules, omitStages, false);
  }

  public AuditPolicy(List<Rule> rules, Set<Stage> omitStages, boolean omitManagedFields) {
    this.rules = List.copyOf(rules);
    this.omitStages = omitStages.isEmpty() ? Set.of() : Set.copyOf(omitStages);
    this.omitManagedFields = omitManagedFields;
    this.anyRequestResponse = rules.stream().anyMatch(r -> r.level() == Level.RequestResponse);
  }

  /** The policy-wide omitStages. */
  public Set<Stage> omitStages() {
    return omitStages;
  }

  /** The policy-wide omitManagedFields (a rule may override it). */
  public boolean omitManagedFields() {
    return omitManagedFields;
  }

  public List<Rule> rules() {
    return rules;
  }

  /** Whether some request may be recorded with its response (then responses are kept until the event is made). */
  public boolean mayRecordResponses() {
    return anyRequestResponse;
  }

  /** The level of the first rule that matches {@code a}, with the stages it and the policy omit. */
  public Decision decide(Attributes a) {
    for (Rule r : rules) {
      if (matches(r, a)) {
        if (r.level() == Level.None) {
          return NONE;
        }
        Set<Stage> omit = omitStages;
        if (!r.omitStages().isEmpty()) {
          EnumSet<Stage> both = EnumSet.noneOf(Stage.class);
          both.addAll(omitStages);
          both.addAll(r.omitStages());
          omit = both;
        }
        return new Decision(r.level(), omit,
            r.omitManagedFields() != null ? r.omitManagedFields() : omitManagedFields);
      }
    }
    return NONE;
  }

  static boolean matches(Rule r, Attributes a) {
    if (!r.users().isEmpty() && (a.user() == null || !r.users().contains(a.user().username()))) {
      return false;
    }
    if (!r.userGroups().isEmpty()) {
      if (a.user() == null || a.user().groups().stream().noneMatch(r.userGroups()::contains)) {
        return false;
      }
    }
    if (!r.verbs().isEmpty() && !r.verbs().contains(a.verb())) {
      return false;
    }
    if (!r.namespaces().isEmpty() || !r.resources().isEmpty()) {
      return matchesResource(r, a);
    }
    if (!r.nonResourceUrls().isEmpty()) {
      return !a.resourceRequest() && r.nonResourceUrls().stream().anyMatch(spec -> pathMatches(a.path(), spec));
    }
    return true;
  }

  private static boolean matchesResource(Rule r, Attributes a) {
    if (!a.resourceRequest()) {
      return false;
    }
    if (!r.namespaces().isEmpty() && !r.namespaces().contains(a.namespace())) {
      return false;
    }
    if (r.resources().isEmpty()) {
      return true;
    }
    String combined = a.resourceWithSubresource();
    for (GroupResources gr : r.resources()) {
      if (!gr.group().equals(a.apiGroup())) {
        continue;
      }
      if (gr.resources().isEmpty()) {
        return true;
      }
      if (!gr.resourceNames().isEmpty() && !gr.resourceNames().contains(a.name())) {
        continue;
      }
      for (String res : gr.resources()) {
        if (res.equals("*") || res.equals(combined)) {
          return true;
        }
        if (!a.subresource().isEmpty() && res.startsWith("*/") && res.substring(2).equals(a.subresource())) {
          return true;
        }
        if (res.endsWith("/*") && res.substring(0, res.length() - 2).equals(a.resource())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean pathMatches(String path, String spec) {
    return spec.equals("*") || spec.equals(path)
        || spec.endsWith("*") && path.startsWith(spec.substring(0, spec.length() - 1));
  }

  // ---------------------------------------------------------------- reading a policy file

  /** Reads a policy file (YAML or JSON). */
  public static AuditPolicy load(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /**
   * Parses an {@code audit.k8s.io/v1 Policy}.
   *
   * @throws IllegalArgumentException naming the field, for anything kube-apiserver would refuse
   */
  public static AuditPolicy parse(String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("the audit policy is not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the audit policy must be an object of kind Policy");
    }
    String apiVersion = root.path("apiVersion").asText("");
    if (!apiVersion.equals("audit.k8s.io/v1")) {
      throw new IllegalArgumentException("apiVersion: Unsupported value: \"" + apiVersion
          + "\": supported values: \"audit.k8s.io/v1\"");
    }
    if (!root.path("kind").asText("").equals("Policy")) {
      throw new IllegalArgumentException("kind: Unsupported value: \"" + root.path("kind").asText("")
          + "\": supported values: \"Policy\"");
    }
    known(root, "", Set.of("apiVersion", "kind", "metadata", "rules", "omitStages", "omitManagedFields"));
    JsonNode rulesNode = root.path("rules");
    if (!rulesNode.isArray() || rulesNode.isEmpty()) {
      throw new IllegalArgumentException("rules: Required value: a policy needs at least one rule");
    }
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < rulesNode.size(); i++) {
      rules.add(rule(rulesNode.get(i), "rules[" + i + "]"));
    }
    return new AuditPolicy(rules, stages(root.path("omitStages"), "omitStages"),
        Boolean.TRUE.equals(bool(root.path("omitManagedFields"), "omitManagedFields")));
  }

  private static Rule rule(JsonNode n, String at) {
    if (!n.isObject()) {
      throw new IllegalArgumentException(at + ": Invalid value: a rule must be an object");
    }
    known(n, at + ".", Set.of("level", "users", "userGroups", "verbs", "resources", "namespaces", "nonResourceURLs",
        "omitStages", "omitManagedFields"));
    String levelName = n.path("level").asText("");
    Level level;
    try {
      level = Level.valueOf(levelName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ".level: " + (levelName.isEmpty() ? "Required value"
          : "Unsupported value: \"" + levelName + "\"") + ": supported values: \"None\", \"Metadata\", \"Request\", "
          + "\"RequestResponse\"");
    }
    List<GroupResources> resources = new ArrayList<>();
    JsonNode rs = n.path("resources");
    if (!rs.isMissingNode() && !rs.isNull()) {
      if (!rs.isArray()) {
        throw new IllegalArgumentException(at + ".resources: Invalid value: must be a list");
      }
      for (int i = 0; i < rs.size(); i++) {
        JsonNode g = rs.get(i);
        String gat = at + ".resources[" + i + "]";
        known(g, gat + ".", Set.of("group", "resources", "resourceNames"));
        List<String> names = strings(g.path("resourceNames"), gat + ".resourceNames");
        List<String> res = strings(g.path("resources"), gat + ".resources");
        for (int j = 0; j < res.size(); j++) {
          String r = res.get(j);
          if (!names.isEmpty() && (r.equals("*") || r.startsWith("*/"))) {
            throw new IllegalArgumentException(gat + ".resources[" + j + "]: Invalid value: \"" + r
                + "\": using resource wildcards with resourceNames is not allowed");
          }
        }
        resources.add(new GroupResources(g.path("group").asText(""), res, names));
      }
    }
    List<String> nonResource = strings(n.path("nonResourceURLs"), at + ".nonResourceURLs");
    List<String> namespaces = strings(n.path("namespaces"), at + ".namespaces");
    if (!nonResource.isEmpty() && (!resources.isEmpty() || !namespaces.isEmpty())) {
      throw new IllegalArgumentException(at + ".nonResourceURLs: Invalid value: rules cannot apply to both "
          + "regular resources and non-resource URLs");
    }
    for (int i = 0; i < nonResource.size(); i++) {
      String u = nonResource.get(i);
      if (!u.equals("*") && !u.startsWith("/")) {
        throw new IllegalArgumentException(at + ".nonResourceURLs[" + i + "]: Invalid value: \"" + u
            + "\": non-resource URL rules must begin with a '/' character");
      }
      if (u.indexOf('*') >= 0 && u.indexOf('*') != u.length() - 1) {
        throw new IllegalArgumentException(at + ".nonResourceURLs[" + i + "]: Invalid value: \"" + u
            + "\": non-resource URL wildcards '*' must be the final character of the rule");
      }
    }
    return new Rule(level, strings(n.path("users"), at + ".users"), strings(n.path("userGroups"), at + ".userGroups"),
        strings(n.path("verbs"), at + ".verbs"), resources, namespaces, nonResource,
        stages(n.path("omitStages"), at + ".omitStages"), bool(n.path("omitManagedFields"), at + ".omitManagedFields"));
  }

  /** A boolean field: null when absent. */
  private static Boolean bool(JsonNode n, String at) {
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (!n.isBoolean()) {
      throw new IllegalArgumentException(at + ": Invalid value: " + n + ": must be a boolean");
    }
    return n.booleanValue();
  }

  private static void known(JsonNode n, String at, Set<String> fields) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.contains(f)) {
        throw new IllegalArgumentException(at + f + ": Invalid value: unknown field \"" + f + "\"");
      }
    }
  }

  private static List<String> strings(JsonNode n, String at) {
    if (n.isMissingNode() || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException(at + ": Invalid value: must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      if (!n.get(i).isTextual()) {
        throw new IllegalArgumentException(at + "[" + i + "]: Invalid value: must be a string");
      }
      out.add(n.get(i).asText());
    }
    return List.copyOf(out);
  }

  private static Set<Stage> stages(JsonNode n, String at) {
    List<String> names = strings(n, at);
    EnumSet<Stage> out = EnumSet.noneOf(Stage.class);
    for (int i = 0; i < names.size(); i++) {
      try {
        out.add(Stage.valueOf(names.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + "[" + i + "]: Unsupported value: \"" + names.get(i)
            + "\": supported values: \"RequestReceived\", \"ResponseStarted\", \"ResponseComplete\", \"Panic\"");
      }
    }
    return out.isEmpty() ? Set.of() : Set.copyOf(out);
  }
}
