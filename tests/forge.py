# forge.py: the parts of a hand-made bundle that the scripts building
# hostile or crafted bundles (mk.py in t0610, t0615, t0630, t0660) share.
# lib.sh puts this directory on PYTHONPATH; they import it.
#
#   man, members = forge.load("x")        # a bundle unpacked in x/
#   ...change man or members...
#   man["entries"] = forge.entries(members)
#   mb = forge.dump(man)
#   forge.write_tar(out, mb, forge.sign(mb, "sign.pem"), members)
#
# members is a list of (name, bytes), written as regular files, and of
# TarInfo (see info) for links, devices and the like, written as they are.
# Every header is fixed (mode 0644, no owner, time 0): the tar is the same
# from one run to the next.
import hashlib, io, json, subprocess, tarfile


def load(src):
    """The manifest of the bundle unpacked in SRC, and its members in the
    order it lists them."""
    def rd(n):
        with open(src + "/" + n, "rb") as f:
            return f.read()
    man = json.loads(rd("manifest.json"))
    return man, [(e["name"], rd(e["name"])) for e in man["entries"]]


def entries(members):
    """The manifest's entries for MEMBERS, with their sizes and hashes."""
    return [{"name": n, "size": len(d),
        "sha256": hashlib.sha256(d).hexdigest()} for n, d in members]


def dump(man):
    """The bytes of the manifest MAN, as dossier-bundle writes them."""
    return json.dumps(man, separators=(",", ":"), ensure_ascii=False).encode()


def sign(mb, key="sign.pem"):
    """The signature of the manifest bytes MB by the PEM secret key KEY;
    the bytes are left in m.json."""
    with open("m.json", "wb") as f:
        f.write(mb)
    return subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", key,
        "-rawin", "-in", "m.json"], check=True, capture_output=True).stdout


def info(name, size, type=tarfile.REGTYPE, link=""):
    """A tar header for NAME."""
    t = tarfile.TarInfo(name)
    t.size, t.type, t.linkname, t.mode = size, type, link, 0o644
    return t


def open_tar(out):
    """OUT opened for writing as a gzip'd PAX tar."""
    return tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT)


def write_tar(out, mb, sig, members):
    """The bundle OUT: the manifest bytes MB, the signature SIG, then
    MEMBERS."""
    with open_tar(out) as tf:
        tf.addfile(info("manifest.json", len(mb)), io.BytesIO(mb))
        tf.addfile(info("manifest.sig", len(sig)), io.BytesIO(sig))
        for m in members:
            if isinstance(m, tarfile.TarInfo):
                tf.addfile(m)
            else:
                tf.addfile(info(m[0], len(m[1])), io.BytesIO(m[1]))


def rechain(events, prev=None):
    """EVENTS (dicts of one origin, in order) linked again after PREV (hex,
    default: the first one's prev_hash), each hash recomputed from its
    content as dossier-bundle checks it."""
    prev = prev or events[0]["prev_hash"]
    for ev in events:
        ev["prev_hash"] = prev
        fields = [ev["origin"], str(ev["seq"]), ev["dossier"], ev["action"],
            ev["actor"], str(ev["at"]), ev["payload"]]
        ev["hash"] = hashlib.sha256(bytes.fromhex(prev) +
            b"dossier-event-v1\n" + "\n".join(fields).encode()).hexdigest()
        prev = ev["hash"]
    return events
