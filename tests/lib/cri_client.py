#!/usr/bin/python3
"""A kubelet stand-in for the suite: runs pods through a CRI endpoint
(containerd's CRI plugin) with the requests a kubelet sends: the pod's
metadata, the labels and annotations the kubelet sets, its cgroup parent
under kubepods, the seccomp profile of each container (RuntimeDefault,
Unconfined, or Localhost with the absolute path under the kubelet's seccomp
root) and capabilities.

USAGE: cri_client.py --socket SOCK --state DIR COMMAND ...

  version
  run-pod NAME NAMESPACE UID [--seccomp TYPE[:PATH]] [--qos besteffort]
        prints the sandbox id
  create POD_ID NAME IMAGE [--seccomp TYPE[:PATH]] [--cap-add CAP ...]
        [--cap-drop CAP ...] [--no-new-privs] -- COMMAND ...     prints the container id
  start ID | exec ID -- COMMAND ... | status ID | pod-status ID
  remove ID
  stop-pod ID | remove-pod ID | remove-all
  image-status IMAGE

Seccomp types: runtime-default, unconfined, localhost:/abs/path.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO_DIR = os.path.join(os.path.dirname(HERE), "cri")


def load_api(state):
    """Compiles tests/cri/api.proto into STATE/gen once, and imports it."""
    gen = os.path.join(state, "gen")
    proto = os.path.join(PROTO_DIR, "api.proto")
    stamp = os.path.join(gen, "api_pb2.py")
    if not os.path.exists(stamp) or os.path.getmtime(stamp) < os.path.getmtime(proto):
        os.makedirs(gen, exist_ok=True)
        subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I" + PROTO_DIR,
                        "--python_out=" + gen, "--grpc_python_out=" + gen, proto], check=True)
    sys.path.insert(0, gen)
    import api_pb2  # noqa: E402
    import api_pb2_grpc  # noqa: E402
    return api_pb2, api_pb2_grpc


def security_profile(pb, spec):
    """runtime-default | unconfined | localhost:/path"""
    kind, _, path = spec.partition(":")
    types = {"runtime-default": pb.SecurityProfile.RuntimeDefault,
             "unconfined": pb.SecurityProfile.Unconfined,
             "localhost": pb.SecurityProfile.Localhost}
    if kind not in types or (kind == "localhost") != bool(path):
        sys.exit("cri_client: bad --seccomp %r (runtime-default, unconfined, localhost:/abs/path)" % spec)
    return pb.SecurityProfile(profile_type=types[kind], localhost_ref=path)


def pod_config(pb, name, namespace, uid, qos, seccomp):
    """The PodSandboxConfig a kubelet sends for a pod in the node's network
    (no hostname: runc cannot set one in the node's UTS namespace)"""
    labels = {"io.kubernetes.pod.name": name, "io.kubernetes.pod.namespace": namespace,
              "io.kubernetes.pod.uid": uid, "app": name}
    annotations = {"kubernetes.io/config.source": "api",
                   "kubernetes.io/config.seen": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    ns = pb.NamespaceOption(network=pb.NODE, pid=pb.CONTAINER, ipc=pb.POD)
    sc = pb.LinuxSandboxSecurityContext(namespace_options=ns)
    if seccomp:
        sc.seccomp.CopyFrom(security_profile(pb, seccomp))
    return pb.PodSandboxConfig(
        metadata=pb.PodSandboxMetadata(name=name, uid=uid, namespace=namespace, attempt=0),
        hostname="", log_directory="/var/log/pods/%s_%s_%s" % (namespace, name, uid),
        labels=labels, annotations=annotations,
        linux=pb.LinuxPodSandboxConfig(cgroup_parent="/kubepods/%s/pod%s" % (qos, uid), security_context=sc))


def main():
    ap = argparse.ArgumentParser(description="a kubelet stand-in over CRI")
    ap.add_argument("--socket", required=True)
    ap.add_argument("--state", required=True, help="where pod configs are kept between calls")
    ap.add_argument("command")
    ap.add_argument("args", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    pb, rpc = load_api(a.state)
    import grpc
    channel = grpc.insecure_channel("unix://" + a.socket)
    rt = rpc.RuntimeServiceStub(channel)
    im = rpc.ImageServiceStub(channel)
    pods = os.path.join(a.state, "pods")
    os.makedirs(pods, exist_ok=True)
    args = a.args

    if a.command == "version":
        v = rt.Version(pb.VersionRequest(version="v1"), timeout=10)
        print(json.dumps({"runtime_name": v.runtime_name, "runtime_version": v.runtime_version,
                          "runtime_api_version": v.runtime_api_version}))
    elif a.command == "run-pod":
        p = argparse.ArgumentParser(prog="run-pod")
        p.add_argument("name")
        p.add_argument("namespace")
        p.add_argument("uid")
        p.add_argument("--seccomp")
        p.add_argument("--qos", default="besteffort")
        o = p.parse_args(args)
        cfg = pod_config(pb, o.name, o.namespace, o.uid, o.qos, o.seccomp)
        os.makedirs(cfg.log_directory, exist_ok=True)
        r = rt.RunPodSandbox(pb.RunPodSandboxRequest(config=cfg), timeout=60)
        with open(os.path.join(pods, r.pod_sandbox_id), "wb") as f:
            f.write(cfg.SerializeToString())
        print(r.pod_sandbox_id)
    elif a.command == "create":
        p = argparse.ArgumentParser(prog="create")
        p.add_argument("pod")
        p.add_argument("name")
        p.add_argument("image")
        p.add_argument("--seccomp")
        p.add_argument("--cap-add", action="append", default=[])
        p.add_argument("--cap-drop", action="append", default=[])
        p.add_argument("--no-new-privs", action="store_true")
        cut = args.index("--") if "--" in args else len(args)
        o = p.parse_args(args[:cut])
        cmd = args[cut + 1:]
        sandbox = pb.PodSandboxConfig()
        with open(os.path.join(pods, o.pod), "rb") as f:
            sandbox.ParseFromString(f.read())
        md = sandbox.metadata
        sc = pb.LinuxContainerSecurityContext(
            capabilities=pb.Capability(add_capabilities=o.cap_add, drop_capabilities=o.cap_drop),
            namespace_options=pb.NamespaceOption(network=pb.NODE, pid=pb.CONTAINER, ipc=pb.POD),
            no_new_privs=o.no_new_privs)
        if o.seccomp:
            sc.seccomp.CopyFrom(security_profile(pb, o.seccomp))
        cfg = pb.ContainerConfig(
            metadata=pb.ContainerMetadata(name=o.name, attempt=0),
            image=pb.ImageSpec(image=o.image), command=cmd,
            labels={"io.kubernetes.container.name": o.name, "io.kubernetes.pod.name": md.name,
                    "io.kubernetes.pod.namespace": md.namespace, "io.kubernetes.pod.uid": md.uid},
            annotations={"io.kubernetes.container.restartCount": "0",
                         "io.kubernetes.container.terminationMessagePath": "/dev/termination-log"},
            log_path="%s/0.log" % o.name,
            linux=pb.LinuxContainerConfig(security_context=sc))
        r = rt.CreateContainer(pb.CreateContainerRequest(pod_sandbox_id=o.pod, config=cfg, sandbox_config=sandbox),
                               timeout=60)
        print(r.container_id)
    elif a.command == "start":
        rt.StartContainer(pb.StartContainerRequest(container_id=args[0]), timeout=60)
    elif a.command == "remove":
        rt.RemoveContainer(pb.RemoveContainerRequest(container_id=args[0]), timeout=60)
    elif a.command == "exec":
        cmd = args[2:] if args[1:2] == ["--"] else args[1:]
        r = rt.ExecSync(pb.ExecSyncRequest(container_id=args[0], cmd=cmd, timeout=30), timeout=60)
        sys.stdout.buffer.write(r.stdout)
        sys.stderr.buffer.write(r.stderr)
        sys.exit(r.exit_code)
    elif a.command == "status":
        s = rt.ContainerStatus(pb.ContainerStatusRequest(container_id=args[0]), timeout=10).status
        print(json.dumps({"id": s.id, "name": s.metadata.name, "state": s.state, "exit_code": s.exit_code,
                          "image": s.image.image, "labels": dict(s.labels), "reason": s.reason}))
    elif a.command == "pod-status":
        items = rt.ListPodSandbox(pb.ListPodSandboxRequest(), timeout=10).items
        for s in items:
            if s.id == args[0]:
                print(json.dumps({"id": s.id, "name": s.metadata.name, "namespace": s.metadata.namespace,
                                  "uid": s.metadata.uid, "state": s.state, "labels": dict(s.labels)}))
    elif a.command in ("stop-pod", "remove-pod"):
        if a.command == "stop-pod":
            rt.StopPodSandbox(pb.StopPodSandboxRequest(pod_sandbox_id=args[0]), timeout=60)
        else:
            rt.RemovePodSandbox(pb.RemovePodSandboxRequest(pod_sandbox_id=args[0]), timeout=60)
            try:
                os.unlink(os.path.join(pods, args[0]))
            except FileNotFoundError:
                pass
    elif a.command == "remove-all":
        for s in rt.ListPodSandbox(pb.ListPodSandboxRequest(), timeout=10).items:
            rt.StopPodSandbox(pb.StopPodSandboxRequest(pod_sandbox_id=s.id), timeout=60)
            rt.RemovePodSandbox(pb.RemovePodSandboxRequest(pod_sandbox_id=s.id), timeout=60)
    elif a.command == "image-status":
        r = im.ImageStatus(pb.ImageStatusRequest(image=pb.ImageSpec(image=args[0])), timeout=10)
        print(json.dumps({"id": r.image.id, "repo_tags": list(r.image.repo_tags)}))
    else:
        sys.exit("cri_client: unknown command %r" % a.command)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # grpc errors: say the call's status, exit 2
        code = getattr(e, "code", None)
        details = getattr(e, "details", None)
        if callable(code) and callable(details):
            sys.exit("cri_client: %s: %s" % (code(), details()))
        raise
