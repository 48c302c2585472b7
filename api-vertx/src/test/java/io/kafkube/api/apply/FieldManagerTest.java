package io.kafkube.api.apply;

import static io.kafkube.api.apply.FieldSetTest.DEPLOYMENT;
import static io.kafkube.api.apply.FieldSetTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Server-side apply and Update ownership on deployments: merging, pruning, conflicts, force. */
class FieldManagerTest {
  private static final FieldManager FM = new FieldManager(DEPLOYMENT, "apps/v1");
  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-29T11:00:00Z");

  static ObjectNode obj(String spec) {
    return (ObjectNode) json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'team'"
        + (spec.startsWith(",") ? "" : ",") + spec + "}");
  }

  static ObjectNode deployment(String labels, int replicas, String containers) {
    return obj("'labels':{" + labels + "}},'spec':{'replicas':" + replicas
        + ",'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},"
        + "'spec':{'containers':[" + containers + "]}}}");
  }

  static ObjectNode withSelector(ObjectNode d, String label) {
    d.with("spec").set("selector", json("{'matchLabels':{'" + label + "':'fe'}}"));
    return d;
  }

  /** What each manager owns after a first apply by "kubectl" of {@code first}, then an apply of {@code second}. */
  static Stream<Arguments> reapplies() {
    String web = "{'name':'web','image':'nginx:1'}";
    return Stream.of(
        Arguments.of("a changed scalar is set", deployment("'app':'web'", 1, web),
            deployment("'app':'web'", 4, web), "/spec/replicas", "4"),
        Arguments.of("a label no longer applied is removed",
            deployment("'app':'web','tier':'fe'", 1, web), deployment("'app':'web'", 1, web),
            "/metadata/labels", "{'app':'web'}"),
        Arguments.of("a container no longer applied is removed",
            deployment("'app':'web'", 1, web + ",{'name':'side','image':'busybox'}"),
            deployment("'app':'web'", 1, web), "/spec/template/spec/containers", "[" + web + "]"),
        Arguments.of("a container's field merges by name, keeping the list order",
            deployment("'app':'web'", 1, "{'name':'a','image':'x'}," + web),
            deployment("'app':'web'", 1, web.replace("nginx:1", "nginx:2") + ",{'name':'a','image':'x'}"),
            "/spec/template/spec/containers",
            "[{'name':'a','image':'x'},{'name':'web','image':'nginx:2'}]"),
        Arguments.of("the atomic selector is replaced whole",
            deployment("'app':'web'", 1, web), withSelector(deployment("'app':'web'", 1, web), "tier"),
            "/spec/selector", "{'matchLabels':{'tier':'fe'}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reapplies")
  void reapplyMergesAndPrunes(String name, ObjectNode first, ObjectNode second, String pointer, String expected) {
    FieldManager.Applied a = FM.apply(null, List.of(), first, "kubectl", false, T0);
    ObjectNode second2 = second;
    FieldManager.Applied b = FM.apply(a.object(), a.managed(), second2, "kubectl", false, T1);
    assertThat(b.object().at(pointer)).isEqualTo(json(expected));
    assertThat(b.managed()).singleElement().satisfies(e -> {
      assertThat(e.manager()).isEqualTo("kubectl");
      assertThat(e.operation()).isEqualTo("Apply");
      assertThat(e.fields()).isEqualTo(Structured.fieldsOf(FieldManager.strip(second2), DEPLOYMENT));
    });
  }

  @Test
  void firstApplyOwnsExactlyWhatItSpecifies() {
    FieldManager.Applied a = FM.apply(null, List.of(), deployment("'app':'web'", 2, "{'name':'web','image':'nginx'}"),
        "kubectl", false, T0);
    assertThat(a.object().at("/metadata/name").asText()).isEqualTo("web");
    assertThat(a.object().at("/kind").asText()).isEqualTo("Deployment");
    assertThat(a.managed()).singleElement().satisfies(e -> {
      assertThat(e.time()).isEqualTo(T0);
      assertThat(e.apiVersion()).isEqualTo("apps/v1");
      assertThat(e.fields().toFieldsV1()).isEqualTo(json("{'f:metadata':{'f:labels':{'f:app':{}}},"
          + "'f:spec':{'f:replicas':{},'f:selector':{},'f:template':{'f:metadata':{'f:labels':{'f:app':{}}},"
          + "'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':{'.':{},'f:image':{},'f:name':{}}}}}}}"));
    });
  }

  @Test
  void aFieldAnotherManagerSetDifferentlyIsAConflict() {
    ObjectNode live = deployment("'app':'web'", 3, "{'name':'web','image':'nginx'}");
    List<ManagedEntry> managed = FM.update(null, live, List.of(), "kubectl-client-side-apply", null, T0);
    ObjectNode config = deployment("'app':'web'", 5, "{'name':'web','image':'nginx'}");
    assertThatThrownBy(() -> FM.apply(live, managed, config, "kubectl", false, T1))
        .isInstanceOfSatisfying(ApplyConflictException.class, e -> {
          assertThat(e).hasMessage("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" "
              + "using apps/v1: .spec.replicas");
          assertThat(e.conflicts()).singleElement()
              .satisfies(c -> assertThat(c.path()).hasToString(".spec.replicas"));
        });
  }

  @Test
  void theSameValueIsSharedOwnershipNotAConflict() {
    ObjectNode live = deployment("'app':'web'", 3, "{'name':'web','image':'nginx'}");
    List<ManagedEntry> managed = FM.update(null, live, List.of(), "kubectl-create", null, T0);
    FieldManager.Applied a = FM.apply(live, managed, live.deepCopy(), "kubectl", false, T1);
    FieldPath replicas = FieldPath.of("spec", "replicas");
    assertThat(a.managed()).hasSize(2).allSatisfy(e -> assertThat(e.fields().contains(replicas)).isTrue());
    assertThat(a.changed()).isFalse();
  }

  @Test
  void forceTakesTheFieldFromTheOtherManager() {
    ObjectNode live = deployment("'app':'web'", 3, "{'name':'web','image':'nginx'}");
    List<ManagedEntry> managed = FM.update(null, live, List.of(), "kubectl-client-side-apply", null, T0);
    FieldManager.Applied a = FM.apply(live, managed,
        deployment("'app':'web'", 5, "{'name':'web','image':'nginx'}"), "kubectl", true, T1);
    assertThat(a.object().at("/spec/replicas").asInt()).isEqualTo(5);
    FieldPath replicas = FieldPath.of("spec", "replicas");
    assertThat(a.managed()).filteredOn(e -> e.fields().contains(replicas)).singleElement()
        .satisfies(e -> assertThat(e.manager()).isEqualTo("kubectl"));
    assertThat(a.managed()).filteredOn(e -> e.manager().equals("kubectl-client-side-apply")).singleElement()
        .satisfies(e -> assertThat(e.fields().contains(FieldPath.of("spec", "template", "metadata", "labels", "app")))
            .isTrue());
  }

  @Test
  void aFieldAnotherApplierAlsoOwnsIsNotRemovedWhenOneStopsApplyingIt() {
    ObjectNode cfg = deployment("'app':'web','tier':'fe'", 1, "{'name':'web','image':'nginx'}");
    FieldManager.Applied a = FM.apply(null, List.of(), cfg, "one", false, T0);
    FieldManager.Applied b = FM.apply(a.object(), a.managed(), cfg, "two", false, T0);
    FieldManager.Applied c = FM.apply(b.object(), b.managed(),
        deployment("'app':'web'", 1, "{'name':'web','image':'nginx'}"), "one", false, T1);
    assertThat(c.object().at("/metadata/labels/tier").asText()).isEqualTo("fe");
    FieldPath tier = FieldPath.of("metadata", "labels", "tier");
    assertThat(c.managed()).filteredOn(e -> e.fields().contains(tier)).extracting(ManagedEntry::manager)
        .containsExactly("two");
  }

  @Test
  void severalConflictsAreListedByManager() {
    ObjectNode live = deployment("'app':'web'", 3, "{'name':'web','image':'nginx'}");
    List<ManagedEntry> managed = FM.apply(null, List.of(), live, "other", false, T0).managed();
    ObjectNode config = deployment("'app':'web'", 5, "{'name':'web','image':'httpd'}");
    assertThatThrownBy(() -> FM.apply(live, managed, config, "kubectl", false, T1))
        .isInstanceOf(ApplyConflictException.class)
        .hasMessage("Apply failed with 2 conflicts: conflicts with \"other\":\n- .spec.replicas\n"
            + "- .spec.template.spec.containers[name=\"web\"].image");
  }

  @Test
  void anUpdateOwnsWhatItChangesAndDefaultsAreNotReowned() {
    ObjectNode v1 = deployment("'app':'web'", 1, "{'name':'web','image':'nginx'}");
    List<ManagedEntry> created = FM.update(null, v1, List.of(), "kubectl-create", null, T0);
    assertThat(created).singleElement().satisfies(e -> {
      assertThat(e.operation()).isEqualTo("Update");
      assertThat(e.fields().toFieldsV1().at("/f:metadata/f:labels")).isEqualTo(json("{'.':{},'f:app':{}}"));
    });
    ObjectNode v2 = v1.deepCopy();
    v2.with("spec").put("replicas", 2);
    List<ManagedEntry> scaled = FM.update(v1, v2, created, "kubectl-scale", "scale", T1);
    assertThat(scaled).extracting(ManagedEntry::manager).containsExactly("kubectl-create", "kubectl-scale");
    assertThat(scaled.get(1).fields()).isEqualTo(FieldSet.of(FieldPath.of("spec", "replicas")));
    assertThat(scaled.get(0).fields().contains(FieldPath.of("spec", "replicas"))).isFalse();
    assertThat(scaled.get(1).describe()).isEqualTo("\"kubectl-scale\" with subresource \"scale\" using apps/v1");
    assertThat(FM.update(v2, v2.deepCopy(), scaled, "kubectl-scale", "scale", Instant.MAX)).isEqualTo(scaled);
  }

  @Test
  void theStatusAndServerSetMetadataAreOwnedByNobody() {
    ObjectNode cfg = deployment("'app':'web'", 1, "{'name':'web','image':'nginx'}");
    cfg.with("metadata").put("uid", "u").put("resourceVersion", "7");
    cfg.putObject("status").put("replicas", 9);
    FieldManager.Applied a = FM.apply(null, List.of(), cfg, "kubectl", false, T0);
    assertThat(a.object().has("status")).isFalse();
    assertThat(a.managed().get(0).fields().toFieldsV1().has("f:status")).isFalse();
    assertThat(a.managed().get(0).fields().toFieldsV1().at("/f:metadata").has("f:uid")).isFalse();
  }

  @Test
  void anObjectNobodyManagedIsOwnedBeforeFirstApply() {
    ObjectNode live = deployment("'app':'web'", 3, "{'name':'web','image':'nginx'}");
    assertThatThrownBy(() -> FM.apply(live, List.of(), deployment("'app':'web'", 4, "{'name':'web','image':'nginx'}"),
        "kubectl", false, T1))
        .hasMessage("Apply failed with 1 conflict: conflict with \"before-first-apply\" using apps/v1: .spec.replicas");
    FieldManager.Applied same = FM.apply(live, List.of(), live.deepCopy(), "kubectl", false, T1);
    assertThat(same.managed()).extracting(ManagedEntry::manager).containsExactly("kubectl", "before-first-apply");
  }
}
