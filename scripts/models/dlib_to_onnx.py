"""Reads dlib's serialised face-recognition ResNet (dlib_face_recognition_resnet_model_v1.dat)
and writes the same network as ONNX.

Usage: dlib_to_onnx.py MODEL.dat OUT.onnx

dlib's `.dat` is not self-describing: it is `serialize(net)` of one C++ type, `anet_type` from
dlib's examples/dnn_face_recognition_ex.cpp. The reader below walks that type (written out in
NETWORK) and checks every type tag, version and tensor shape the file holds against it, so a
different or damaged file fails loudly instead of converting into something else.

Format facts (dlib/serialize.h, dlib/dnn/{core,layers,input,loss,tensor}.h):
- integers: a control byte (byte count | 0x80 when negative), then the bytes little-endian;
- floats: an integer mantissa and an integer exponent, value = mantissa * 2**exponent;
- strings: a length, then the bytes; bools: one ASCII '0' or '1';
- tensors: version 2, four dimensions, then raw little-endian float32;
- add_layer: version 2 (3 when it sits on the input layer), its subnetwork, its layer's
  details, three bools and the training-time tensors (on the input layer, then the sample
  expansion factor); tag and skip layers: version 1 and their
  subnetwork; the loss layer: version 1, its details, then the network.
- add_prev adds two tensors of different sizes by zero-padding both to the larger one (dlib's
  tt::add), which happens where a stride-2 convolution and a 2x2 pooling round differently.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def fail(self, what):
        raise ValueError(f"byte {self.pos}: {what}")

    def byte(self):
        if self.pos >= len(self.data):
            self.fail("unexpected end of file")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def int(self):
        control = self.byte()
        size, negative = control & 0x0F, control & 0x80
        if size == 0 or size > 8 or control & 0x70:
            self.fail(f"bad integer control byte {control:#x}")
        value = int.from_bytes(self.take(size), "little")
        return -value if negative else value

    def take(self, n):
        if self.pos + n > len(self.data):
            self.fail("unexpected end of file")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def float(self):
        mantissa, exponent = self.int(), self.int()
        if exponent >= 32000:  # dlib's markers for inf / -inf / nan
            self.fail("non-finite number")
        return mantissa * 2.0**exponent

    def string(self):
        return self.take(self.int()).decode("ascii")

    def bool(self):
        b = self.byte()
        if b not in (ord("0"), ord("1")):
            self.fail(f"bad bool {b:#x}")
        return b == ord("1")

    def expect_int(self, want, what):
        got = self.int()
        if got != want:
            self.fail(f"{what}: expected {want}, found {got}")

    def expect_string(self, want):
        got = self.string()
        if got != want:
            self.fail(f"expected layer {want!r}, found {got!r}")

    def tensor(self):
        self.expect_int(2, "tensor version")
        dims = [self.int() for _ in range(4)]
        n = int(np.prod(dims))
        values = np.frombuffer(self.take(4 * n), dtype="<f4").astype(np.float32)
        if not np.all(np.isfinite(values)):
            self.fail("non-finite weight")
        return values.reshape(dims)

    def alias(self):
        self.expect_int(1, "alias_tensor version")
        return [self.int() for _ in range(4)]


# anet_type, outermost first, as dlib's template aliases expand:
#   block<N,stride>  = affine<con<N,3,3,1,1,relu<affine<con<N,3,3,stride,stride,SUB>>>>>
#   ares<N>          = relu<add_prev1<block<N,1,tag1<SUB>>>>
#   ares_down<N>     = relu<add_prev2<avg_pool<2,2,2,2,skip1<tag2<block<N,2,tag1<SUB>>>>>>>
def block(n, stride):
    return [("affine",), ("con", n, 3, 1), ("relu",), ("affine",), ("con", n, 3, stride)]


def ares(n):
    return [("relu",), ("add_prev", 1)] + block(n, 1) + [("tag", 1)]


def ares_down(n):
    return ([("relu",), ("add_prev", 2), ("avg_pool", 2, 2), ("skip", 1), ("tag", 2)]
            + block(n, 2) + [("tag", 1)])


NETWORK = (
    [("fc", 128), ("avg_pool", 0, 1)]
    + ares_down(256)
    + ares(256) + ares(256) + ares_down(256)
    + ares(128) + ares(128) + ares_down(128)
    + ares(64) + ares(64) + ares(64) + ares_down(64)
    + ares(32) + ares(32) + ares(32)
    + [("max_pool", 3, 2), ("relu",), ("affine",), ("con", 32, 7, 2)]
)
INPUT_SIDE = 150


def read_details(r, layer):
    """One layer's own fields; returns what the graph needs."""
    kind = layer[0]
    if kind == "con":
        _, filters, size, stride = layer
        r.expect_string("con_4")
        params = r.tensor().reshape(-1)
        r.expect_int(filters, "filters")
        r.expect_int(size, "rows")
        r.expect_int(size, "cols")
        r.expect_int(stride, "stride y")
        r.expect_int(stride, "stride x")
        pad_y, pad_x = r.int(), r.int()
        w_shape, b_shape = r.alias(), r.alias()
        for _ in range(4):
            r.float()  # learning-rate and weight-decay multipliers: training only
        w_size = int(np.prod(w_shape))
        if w_shape[0] != filters or b_shape[1] != filters or params.size != w_size + filters:
            r.fail(f"convolution shapes {w_shape} {b_shape} do not fit {params.size} values")
        return {"w": params[:w_size].reshape(w_shape), "b": params[w_size:],
                "stride": stride, "pads": [pad_y, pad_x, pad_y, pad_x]}
    if kind == "affine":
        r.expect_string("affine_")
        params = r.tensor().reshape(-1)
        g_shape, b_shape = r.alias(), r.alias()
        r.expect_int(0, "affine mode (CONV_MODE: per channel)")
        k = g_shape[1]
        if g_shape != [1, k, 1, 1] or b_shape != g_shape or params.size != 2 * k:
            r.fail(f"affine shapes {g_shape} {b_shape} do not fit {params.size} values")
        return {"gamma": params[:k].reshape(g_shape), "beta": params[k:].reshape(b_shape)}
    if kind == "relu":
        r.expect_string("relu_")
        return {}
    if kind == "add_prev":
        r.expect_string("add_prev_")
        return {}
    if kind in ("avg_pool", "max_pool"):
        _, size, stride = layer
        r.expect_string(f"{kind}_2")
        for what, want in (("rows", size), ("cols", size), ("stride y", stride), ("stride x", stride),
                           ("padding y", 0), ("padding x", 0)):
            r.expect_int(want, f"{kind} {what}")
        return {}
    if kind == "fc":
        r.expect_string("fc_2")
        outputs = r.int()
        inputs = r.int()
        params = r.tensor().reshape(-1)
        w_shape, _ = r.alias(), r.alias()
        r.expect_int(1, "fc bias mode (FC_NO_BIAS)")
        for _ in range(4):
            r.float()
        if outputs != layer[1] or w_shape[:2] != [inputs, outputs] or params.size != inputs * outputs:
            r.fail(f"fc shapes {w_shape} do not fit {params.size} values")
        return {"w": params.reshape(inputs, outputs)}
    raise AssertionError(kind)


def read_network(data):
    r = Reader(data)
    r.expect_int(1, "loss layer version")
    r.expect_string("loss_metric_2")
    margin, threshold = r.float(), r.float()
    # Every layer wrapper writes its version before its subnetwork, outermost first.
    for i, layer in enumerate(NETWORK):
        wrapper = layer[0] in ("tag", "skip")
        on_input = i == len(NETWORK) - 1
        r.expect_int(1 if wrapper else 3 if on_input else 2, f"version of {layer}")
    r.expect_string("input_rgb_image_sized")
    mean = [r.float() for _ in range(3)]
    r.expect_int(INPUT_SIDE, "input rows")
    r.expect_int(INPUT_SIDE, "input cols")
    details = []
    for layer in reversed(NETWORK):  # innermost first
        if layer[0] in ("tag", "skip"):
            details.append(None)
            continue
        details.append(read_details(r, layer))
        for _ in range(3):
            r.bool()
        for _ in range(3):
            r.tensor()  # gradients and cached outputs: empty in a trained model, unused here
        if layer is NETWORK[-1]:
            r.expect_int(1, "sample expansion factor")
    if r.pos != len(data):
        r.fail(f"{len(data) - r.pos} bytes left over")
    return {"margin": margin, "threshold": threshold, "mean": mean,
            "layers": list(zip(reversed(NETWORK), details))}


class Graph:
    def __init__(self):
        self.nodes, self.inits, self.count = [], [], 0

    def name(self, prefix):
        self.count += 1
        return f"{prefix}_{self.count}"

    def const(self, prefix, array):
        n = self.name(prefix)
        self.inits.append(numpy_helper.from_array(np.asarray(array, dtype=np.float32), n))
        return n

    def op(self, op_type, inputs, prefix, **attrs):
        out = self.name(prefix)
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attrs))
        return out

    def pad_to(self, x, shape, target):
        extra = [t - s for s, t in zip(shape, target)]
        if not any(extra):
            return x
        pads = self.name("pads")
        self.inits.append(numpy_helper.from_array(np.array([0] * 4 + [0] + extra, dtype=np.int64), pads))
        return self.op("Pad", [x, pads], "pad", mode="constant")


def to_onnx(net):
    g = Graph()
    x = g.op("Sub", ["rgb", g.const("mean", np.array(net["mean"]).reshape(1, 3, 1, 1))], "sub")
    x = g.op("Div", [x, g.const("c256", np.float32(256.0))], "div")
    shape = [3, INPUT_SIDE, INPUT_SIDE]  # channels, rows, cols
    tags = {}
    for layer, d in net["layers"]:
        kind = layer[0]
        if kind == "tag":
            tags[layer[1]] = (x, shape)
        elif kind == "skip":
            x, shape = tags[layer[1]]
        elif kind == "con":
            k, s = d["w"].shape[2], d["stride"]
            x = g.op("Conv", [x, g.const("w", d["w"]), g.const("b", d["b"])], "conv",
                     kernel_shape=[k, k], strides=[s, s], pads=d["pads"])
            side = lambda n: (n + d["pads"][0] + d["pads"][2] - k) // s + 1
            shape = [d["w"].shape[0], side(shape[1]), side(shape[2])]
        elif kind == "affine":
            x = g.op("Mul", [x, g.const("gamma", d["gamma"])], "mul")
            x = g.op("Add", [x, g.const("beta", d["beta"])], "add")
        elif kind == "relu":
            x = g.op("Relu", [x], "relu")
        elif kind == "max_pool" or (kind == "avg_pool" and layer[1] != 0):
            size, stride = layer[1], layer[2]
            op = "MaxPool" if kind == "max_pool" else "AveragePool"
            x = g.op(op, [x], kind, kernel_shape=[size, size], strides=[stride, stride])
            shape = [shape[0]] + [(n - size) // stride + 1 for n in shape[1:]]
        elif kind == "avg_pool":  # window 0 = the whole plane
            x = g.op("GlobalAveragePool", [x], "gap")
            x = g.op("Flatten", [x], "flat", axis=1)
            shape = [shape[0], 1, 1]
        elif kind == "add_prev":
            other, other_shape = tags[layer[1]]
            target = [max(a, b) for a, b in zip(shape, other_shape)]
            x = g.op("Add", [g.pad_to(x, shape, target), g.pad_to(other, other_shape, target)], "res")
            shape = target
        elif kind == "fc":
            x = g.op("MatMul", [x, g.const("fc", d["w"])], "fc")
            shape = [d["w"].shape[1]]
    g.nodes[-1].output[0] = "embedding"
    graph = helper.make_graph(
        g.nodes, "dlib_face_recognition_resnet_v1",
        [helper.make_tensor_value_info("rgb", TensorProto.FLOAT, [1, 3, INPUT_SIDE, INPUT_SIDE])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, 128])],
        g.inits)
    model = helper.make_model(graph, producer_name="huijiao dlib_to_onnx",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    src, dst = sys.argv[1], sys.argv[2]
    net = read_network(open(src, "rb").read())
    if abs(net["threshold"] - 0.6) > 1e-6:
        raise SystemExit(f"unexpected distance threshold {net['threshold']} in {src}")
    model = to_onnx(net)
    with open(dst, "wb") as f:
        f.write(model.SerializeToString(deterministic=True))
    print(f"read {len(net['layers'])} layers (threshold {net['threshold']:.2f}), wrote {dst}")


if __name__ == "__main__":
    main()
