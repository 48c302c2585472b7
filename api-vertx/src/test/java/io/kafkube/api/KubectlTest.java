package io.kafkube.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.api.KubectlRunner.Result;
import io.kafkube.api.view.StateView;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.resource.ResourceRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine's real kubectl ({@code /usr/bin/kubectl}, which dispatches to the bundled 1.32 because
 * the server reports minor 32) against a real cluster, over TLS with the generated kubeconfig. Each
 * test asserts on what kubectl prints and its exit code. The tests build on each other in order.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlTest {
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static KubectlRunner runner;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
    runner = new KubectlRunner(cluster, dir);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Result kubectl(String... args) throws Exception {
    return runner.run(args);
  }

  static Result ok(String... args) throws Exception {
    return runner.ok(args);
  }

  static Path manifest(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  static String deployment(String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: team
          labels:
            app: web
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: nginx
                image: %s
                ports:
                - containerPort: 80
        """.formatted(image);
  }

  @Test
  @Order(1)
  void versionReportsTheServer() throws Exception {
    Result r = ok("version");
    assertThat(r.out()).contains("Client Version: v1.32").contains("Server Version: v1.32.0-kafkube");
  }

  @Test
  @Order(2)
  void apiResourcesListsEveryKind() throws Exception {
    Result r = ok("api-resources");
    assertThat(r.out()).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment")
        .containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace")
        .containsPattern("pods\\s+po\\s+v1\\s+true\\s+Pod");
  }

  @Test
  @Order(3)
  void createNamespaceAndConfigMapWithProtobufBodies() throws Exception {
    assertThat(ok("create", "namespace", "team").out()).contains("namespace/team created");
    assertThat(ok("create", "configmap", "settings", "-n", "team", "--from-literal=a=b").out())
        .contains("configmap/settings created");
    assertThat(ok("create", "secret", "generic", "creds", "-n", "team", "--from-literal=password=s3cr3t").out())
        .contains("secret/creds created");
    assertThat(ok("get", "secret", "creds", "-n", "team", "-o", "jsonpath={.data.password}").out())
        .isEqualTo("czNjcjN0");
    // Go writes zero values of non-pointer fields in protobuf; Kubernetes JSON omits them
    assertThat(ok("get", "configmap", "settings", "-n", "team", "-o", "yaml").out())
        .contains("a: b").doesNotContain("generateName").doesNotContain("selfLink").doesNotContain("generation: 0");
    Result dup = kubectl("create", "namespace", "default");
    assertThat(dup.exit()).isEqualTo(1);
    assertThat(dup.err()).contains("Error from server (AlreadyExists): namespaces \"default\" already exists");
  }

  @Test
  @Order(4)
  void getNamespacesAndConfigMapsAcrossNamespaces() throws Exception {
    assertThat(ok("get", "ns").out()).containsPattern("NAME\\s+STATUS\\s+AGE")
        .containsPattern("team\\s+Active\\s+\\d+s").containsPattern("kube-system\\s+Active");
    assertThat(ok("get", "cm", "-A").out()).containsPattern("NAMESPACE\\s+NAME\\s+DATA\\s+AGE")
        .containsPattern("team\\s+settings\\s+1\\s+");
    Result missing = kubectl("get", "cm", "nope", "-n", "team");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("Error from server (NotFound): configmaps \"nope\" not found");
  }

  @Test
  @Order(5)
  void applyTwiceCreatesThenPatchesStrategically() throws Exception {
    Path f = manifest("web.yaml", deployment("nginx:1.27"));
    assertThat(ok("apply", "-f", f.toString()).out()).contains("deployment.apps/web created");
    manifest("web.yaml", deployment("nginx:1.28"));
    assertThat(ok("apply", "-f", f.toString()).out()).contains("deployment.apps/web configured");
    Result yaml = ok("get", "deploy", "web", "-n", "team", "-o", "yaml");
    assertThat(yaml.out()).contains("image: nginx:1.28").doesNotContain("nginx:1.27")
        .contains("kubectl.kubernetes.io/last-applied-configuration").contains("containerPort: 80");
    assertThat(ok("get", "deploy", "-n", "team").out()).containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE")
        .containsPattern("web\\s+0/2\\s+0\\s+0\\s+");
  }

  @Test
  @Order(6)
  void getPodsWide() throws Exception {
    Path f = manifest("pod.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: box
          namespace: team
        spec:
          containers:
          - name: main
            image: busybox
        """);
    assertThat(ok("create", "-f", f.toString()).out()).contains("pod/box created");
    Result r = ok("get", "pods", "-o", "wide", "-n", "team");
    assertThat(r.out()).containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE\\s+NOMINATED NODE\\s+READINESS GATES")
        .containsPattern("box\\s+0/1\\s+Pending\\s+0\\s+\\S+\\s+<none>\\s+<none>");
  }

  @Test
  @Order(7)
  void labelAnnotateAndSelect() throws Exception {
    assertThat(ok("label", "deploy", "web", "-n", "team", "tier=frontend").out()).contains("deployment.apps/web labeled");
    assertThat(ok("annotate", "deploy", "web", "-n", "team", "owner=ops").out())
        .contains("deployment.apps/web annotated");
    assertThat(ok("get", "deploy", "-n", "team", "-l", "tier=frontend", "-o", "name").out().trim())
        .isEqualTo("deployment.apps/web");
    assertThat(ok("get", "deploy", "-n", "team", "-l", "tier!=frontend", "-o", "name").out().trim()).isEmpty();
    assertThat(ok("get", "deploy", "web", "-n", "team", "-o", "jsonpath={.metadata.annotations.owner}").out())
        .isEqualTo("ops");
  }

  @Test
  @Order(8)
  void scaleDeployment() throws Exception {
    assertThat(ok("scale", "deployment", "web", "-n", "team", "--replicas=3").out())
        .contains("deployment.apps/web scaled");
    assertThat(ok("get", "deploy", "web", "-n", "team", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("3");
    Result stale = kubectl("scale", "deployment", "web", "-n", "team", "--current-replicas=7", "--replicas=1");
    assertThat(stale.exit()).isEqualTo(1);
  }

  @Test
  @Order(9)
  void patchAllThreeTypes() throws Exception {
    ok("patch", "deploy", "web", "-n", "team", "--type=merge", "-p", "{\"spec\":{\"minReadySeconds\":5}}");
    ok("patch", "deploy", "web", "-n", "team", "--type=json",
        "-p", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4}]");
    ok("patch", "deploy", "web", "-n", "team", "--type=strategic", "-p",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"env\":[{\"name\":\"MODE\",\"value\":\"x\"}]}]}}}}");
    Result r = ok("get", "deploy", "web", "-n", "team", "-o",
        "jsonpath={.spec.minReadySeconds} {.spec.replicas} {.spec.template.spec.containers[0].image} "
            + "{.spec.template.spec.containers[0].env[0].value}");
    assertThat(r.out()).isEqualTo("5 4 nginx:1.28 x");
  }

  @Test
  @Order(10)
  void getWatchSeesAChangeMadeMeanwhile() throws Exception {
    ProcessBuilder pb = runner.builder("get", "cm", "-n", "team", "-w");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (IOException e) {
        // process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      assertThat(waitFor(lines, "settings")).as("the initial list").isNotNull();
      ok("create", "configmap", "later", "-n", "team", "--from-literal=x=y");
      assertThat(waitFor(lines, "later")).as("the change made while watching").containsPattern("later\\s+1\\s+");
      assertThat(p.isAlive()).as("the watch stays open").isTrue();
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String waitFor(LinkedBlockingQueue<String> lines, String text) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l != null && l.contains(text)) {
        return l;
      }
    }
    return null;
  }

  @Test
  @Order(11)
  void deleteByFile() throws Exception {
    Path f = dir.resolve("web.yaml");
    assertThat(ok("delete", "-f", f.toString()).out()).contains("deployment.apps \"web\" deleted");
    Result r = kubectl("get", "deploy", "web", "-n", "team");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("Error from server (NotFound): deployments.apps \"web\" not found");
  }

  @Test
  @Order(12)
  void strictValidationRejectsUnknownFields() throws Exception {
    Path f = manifest("bad.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: bad
          namespace: team
        data:
          a: b
        spec:
          foo: 1
        """);
    Result r = kubectl("apply", "-f", f.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("unknown field \"spec\"");
  }

  @Test
  @Order(13)
  void adminMayDoEverythingThroughTheDefaultPolicy() throws Exception {
    assertThat(ok("auth", "can-i", "create", "pods").out().trim()).isEqualTo("yes");
    assertThat(ok("auth", "whoami").out()).containsPattern("(?m)^Username\\s+kubernetes-admin$")
        .containsPattern("(?m)^Groups\\s+\\[system:masters system:authenticated\\]$");
    assertThat(ok("auth", "can-i", "delete", "nodes").out().trim()).isEqualTo("yes");
    Result yes = ok("auth", "can-i", "create", "deployments", "-n", "team");
    assertThat(yes.out().trim()).isEqualTo("yes");
    assertThat(ok("auth", "can-i", "--list").out()).containsPattern("(?m)^\\*\\.\\*\\s+\\[\\]\\s+\\[\\]\\s+\\[\\*\\]");
    assertThat(ok("get", "clusterroles").out()).containsPattern("(?m)^cluster-admin\\s")
        .containsPattern("(?m)^admin\\s").containsPattern("(?m)^edit\\s").containsPattern("(?m)^view\\s")
        .containsPattern("(?m)^system:discovery\\s").containsPattern("(?m)^system:basic-user\\s");
    assertThat(ok("get", "clusterrolebinding", "cluster-admin", "-o", "jsonpath={.subjects[0].name}").out())
        .isEqualTo("system:masters");
  }

  @Test
  @Order(14)
  void aServiceAccountTokenGetsWhatItsRoleGrantsAndNothingElse() throws Exception {
    assertThat(ok("create", "serviceaccount", "reader").out()).contains("serviceaccount/reader created");
    assertThat(ok("create", "role", "pod-reader", "--verb=get,list", "--resource=pods").out())
        .contains("role.rbac.authorization.k8s.io/pod-reader created");
    assertThat(ok("create", "rolebinding", "read-pods", "--role=pod-reader", "--serviceaccount=default:reader").out())
        .contains("rolebinding.rbac.authorization.k8s.io/read-pods created");
    String token = ok("create", "token", "reader").out().trim();
    assertThat(token).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    Path f = manifest("pod-default.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: box
          namespace: default
        spec:
          containers:
          - name: main
            image: busybox
        """);
    assertThat(ok("create", "-f", f.toString()).out()).contains("pod/box created");

    Result pods = kubectl("--token", token, "get", "pods");
    assertThat(pods.exit()).as(pods.err()).isZero();
    assertThat(pods.out()).containsPattern("(?m)^box\\s+0/1\\s+Pending");

    // forbidden writes: the exact Status message, and nothing changes in the state
    StateView view = cluster.api.view();
    view.sync().get(30, TimeUnit.SECONDS);
    ObjectKey box = ResourceRegistry.kubernetes().byGroupResource("pods").orElseThrow().key("default", "box");
    String rv = Meta.resourceVersion(view.get(box));
    String position = view.position().encode();
    Result delete = kubectl("--token", token, "delete", "pod", "box", "--wait=false");
    assertThat(delete.exit()).isEqualTo(1);
    assertThat(delete.err().trim()).isEqualTo("Error from server (Forbidden): pods \"box\" is forbidden: User "
        + "\"system:serviceaccount:default:reader\" cannot delete resource \"pods\" in API group \"\" in the "
        + "namespace \"default\"");
    Result create = kubectl("--token", token, "create", "configmap", "robot-cm", "--from-literal=a=b");
    assertThat(create.exit()).isEqualTo(1);
    assertThat(create.err()).contains("configmaps is forbidden: User \"system:serviceaccount:default:reader\" "
        + "cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"");
    Result label = kubectl("--token", token, "label", "pod", "box", "tampered=yes");
    assertThat(label.exit()).isEqualTo(1);
    assertThat(label.err()).contains("pods \"box\" is forbidden: User \"system:serviceaccount:default:reader\" "
        + "cannot patch resource \"pods\" in API group \"\" in the namespace \"default\"");
    view.sync().get(30, TimeUnit.SECONDS);
    assertThat(view.get(box)).as("the pod is still there").isNotNull();
    assertThat(Meta.resourceVersion(view.get(box))).as("and unchanged").isEqualTo(rv);
    assertThat(Meta.deletionTimestamp(view.get(box))).isNull();
    assertThat(view.get(ResourceRegistry.kubernetes().byGroupResource("configmaps").orElseThrow()
        .key("default", "robot-cm"))).as("no configmap").isNull();
    assertThat(view.position().encode()).as("no write at all reached the history").isEqualTo(position);
    assertThat(kubectl("--token", token, "auth", "can-i", "create", "pods").out().trim()).isEqualTo("no");
    Result whoami = kubectl("--token", token, "auth", "whoami");
    assertThat(whoami.exit()).as(whoami.err()).isZero();
    assertThat(whoami.out()).containsPattern("(?m)^Username\\s+system:serviceaccount:default:reader$")
        .containsPattern("(?m)^Groups\\s+\\[system:serviceaccounts system:serviceaccounts:default "
            + "system:authenticated\\]$");
    Result secrets = kubectl("--token", token, "get", "secrets");
    assertThat(secrets.exit()).isEqualTo(1);
    assertThat(secrets.err()).contains("Error from server (Forbidden): secrets is forbidden: User "
        + "\"system:serviceaccount:default:reader\" cannot list resource \"secrets\" in API group \"\" in the "
        + "namespace \"default\"");
    Result canGet = kubectl("--token", token, "auth", "can-i", "get", "pods");
    assertThat(canGet.exit()).as(canGet.err()).isZero();
    assertThat(canGet.out().trim()).isEqualTo("yes");
    Result canDelete = kubectl("--token", token, "auth", "can-i", "delete", "pods");
    assertThat(canDelete.exit()).isEqualTo(1);
    assertThat(canDelete.out().trim()).isEqualTo("no");
    Result list = kubectl("--token", token, "auth", "can-i", "--list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).containsPattern("(?m)^pods\\s+\\[\\]\\s+\\[\\]\\s+\\[get list\\]")
        .containsPattern("selfsubjectaccessreviews.authorization.k8s.io\\s+\\[\\]\\s+\\[\\]\\s+\\[create\\]")
        .doesNotContain("*.*");
    Result otherNs = kubectl("--token", token, "get", "pods", "-n", "team");
    assertThat(otherNs.exit()).isEqualTo(1);
    assertThat(otherNs.err()).contains("cannot list resource \"pods\" in API group \"\" in the namespace \"team\"");
  }

  @Test
  @Order(15)
  void bogusAndStaleTokensAreUnauthorized() throws Exception {
    Result bogus = kubectl("--token", "bogus", "get", "pods");
    assertThat(bogus.exit()).isEqualTo(1);
    assertThat(bogus.err()).contains("error: You must be logged in to the server");
    String token = ok("create", "token", "reader", "--duration=15m").out().trim();
    assertThat(ok("--token", token, "auth", "can-i", "list", "pods").out().trim()).isEqualTo("yes");
    // a new ServiceAccount of the same name has another uid: the old token names the one deleted
    ok("delete", "serviceaccount", "reader");
    ok("create", "serviceaccount", "reader");
    Result stale = kubectl("--token", token, "get", "pods");
    assertThat(stale.exit()).isEqualTo(1);
    assertThat(stale.err()).contains("error: You must be logged in to the server");
    Result missing = kubectl("create", "token", "nobody");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("error: failed to create token: serviceaccounts \"nobody\" not found");
  }

  @Test
  @Order(16)
  void explainReadsTheOpenApiSchema() throws Exception {
    Result r = ok("explain", "pod.spec.containers");
    assertThat(r.out()).contains("KIND:", "Pod", "VERSION:", "v1", "containers", "DESCRIPTION:", "FIELDS:")
        .containsPattern("image\\s+<string>");
  }

  @Test
  @Order(17)
  void describeShowsThePodAndItsEvents() throws Exception {
    String uid = ok("get", "pod", "box", "-n", "team", "-o", "jsonpath={.metadata.uid}").out();
    Path event = manifest("event.yaml", """
        apiVersion: v1
        kind: Event
        metadata:
          name: box.failed
          namespace: team
        involvedObject:
          apiVersion: v1
          kind: Pod
          name: box
          namespace: team
          uid: %s
        reason: FailedScheduling
        message: "0/3 nodes are available: 3 Insufficient cpu."
        type: Warning
        source:
          component: default-scheduler
        count: 1
        """.formatted(uid));
    ok("create", "-f", event.toString());
    Result r = ok("describe", "pod", "box", "-n", "team");
    assertThat(r.out()).containsPattern("Name:\\s+box").containsPattern("Namespace:\\s+team")
        .containsPattern("Status:\\s+Pending").contains("Containers:", "main:", "busybox")
        .contains("Events:").containsPattern("Warning\\s+FailedScheduling\\s+.*default-scheduler\\s+"
            + "0/3 nodes are available: 3 Insufficient cpu\\.");
  }

  @Test
  @Order(18)
  void editThroughKubeEditor() throws Exception {
    ProcessBuilder pb = runner.builder("edit", "configmap", "settings", "-n", "team");
    pb.environment().put("KUBE_EDITOR", "sed -i s/a:\\ b/a:\\ edited/");
    Path out = Files.createTempFile(dir, "edit", ".txt");
    pb.redirectErrorStream(true).redirectOutput(out.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(out)).isZero();
    assertThat(Files.readString(out)).contains("configmap/settings edited");
    assertThat(ok("get", "cm", "settings", "-n", "team", "-o", "jsonpath={.data.a}").out()).isEqualTo("edited");
  }

  @Test
  @Order(19)
  void storageClassesWithTheirBindingMode() throws Exception {
    Path f = manifest("sc.yaml", """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: local
        provisioner: kubernetes.io/no-provisioner
        volumeBindingMode: WaitForFirstConsumer
        """);
    assertThat(ok("apply", "-f", f.toString()).out()).contains("storageclass.storage.k8s.io/local created");
    assertThat(ok("get", "sc", "local", "-o", "jsonpath={.volumeBindingMode} {.reclaimPolicy}").out())
        .isEqualTo("WaitForFirstConsumer Delete");
    assertThat(ok("get", "sc", "local").out()).containsPattern(
        "NAME\\s+PROVISIONER\\s+RECLAIMPOLICY\\s+VOLUMEBINDINGMODE\\s+ALLOWVOLUMEEXPANSION\\s+AGE\\n"
            + "local\\s+kubernetes.io/no-provisioner\\s+Delete\\s+WaitForFirstConsumer\\s+false\\s+");
    Path bad = manifest("bad-sc.yaml", """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: later
        provisioner: example.com/disk
        volumeBindingMode: Later
        """);
    Result r = kubectl("apply", "-f", bad.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("volumeBindingMode: Unsupported value: \"Later\"");
    assertThat(kubectl("get", "sc", "later").exit()).isEqualTo(1);
  }
}
