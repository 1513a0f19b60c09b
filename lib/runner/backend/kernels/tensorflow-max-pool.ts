/**
 * MaxPool and MaxPoolGrad for the tensorflow backend, for the LeNets' pooling (2×2 windows, stride 2, no
 * padding), through our WebAssembly kernel (max-pool-two-by-two.ts).
 *
 * Why: TensorFlow's CPU pooling kernels are slow at these shapes. Per call at batch 64, one thread (2026-12-08):
 * MaxPool 1.0 ms on [64, 28, 28, 6]; MaxPoolGrad, which runs a whole forward pooling again to find each window's
 * maximum, 2.1 ms there and 1.2 ms on [64, 14, 14, 16]. Together they were 30 % of LeNet-5's kernel time in
 * `npm run profile:runner -- --backend tensorflow`. Copying the tensors out of TensorFlow into our kernel's
 * memory and the result back costs less than that.
 *
 * Same bits: the forward output is one of the window's values, and the gradient routes each dy to one input
 * (windows do not overlap), so only the choice of maximum matters, and both kernels choose as TensorFlow's do:
 * the window's first value, then any strictly greater one in row-major order (`firstIsCandidate`).
 * tests/unit/runner/backend/tensorflow-kernels.test.ts compares the bits with TensorFlow's own kernels on data
 * full of ties, signed zeros included.
 *
 * Other geometries, dtypes and data formats keep tfjs-node's kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { maxPoolGradTwoByTwo, maxPoolTwoByTwo } from "./max-pool-two-by-two";
import { isWholeTwoByTwo, poolGeometry, type PoolGeometry } from "./pool-geometry";
import { replaceTensorflowKernel, type TensorflowBackend } from "./tensorflow-replace";

/** Kernels this module replaces on the tensorflow backend, for run provenance. */
export const TENSORFLOW_POOLING_KERNELS = ["MaxPool", "MaxPoolGrad"] as const;

/**
 * Replaces tfjs-node's MaxPool and MaxPoolGrad. Call after @tensorflow/tfjs-node has been required (it registers
 * the originals); harmless to call again.
 */
export function replaceTensorflowPooling(): void {
  replaceTensorflowKernel("MaxPool", (original) => (args) => {
    const { x } = args.inputs;
    const geometry = x === undefined ? undefined : twoByTwoGeometry(x, args.attrs as unknown as tf.MaxPoolAttrs);
    if (x === undefined || geometry === undefined) return original(args);
    const backend = args.backend as unknown as TensorflowBackend;
    const outShape = [geometry.batch, geometry.outHeight, geometry.outWidth, geometry.channels];
    const [xAt, yAt] = scratch.place([x.shape, outShape]);
    scratch.floats(xAt, x.shape).set(backend.readSync(x.dataId) as Float32Array);
    maxPoolTwoByTwo(scratch.memory, { x: xAt, y: yAt }, geometry);
    return output(backend, scratch.floats(yAt, outShape), outShape);
  });
  replaceTensorflowKernel("MaxPoolGrad", (original) => (args) => {
    const { dy, input } = args.inputs;
    const geometry = input === undefined ? undefined : twoByTwoGeometry(input, args.attrs as unknown as tf.MaxPoolGradAttrs);
    if (dy === undefined || input === undefined || dy.dtype !== "float32" || geometry === undefined) return original(args);
    const backend = args.backend as unknown as TensorflowBackend;
    const [xAt, dyAt, dxAt] = scratch.place([input.shape, dy.shape, input.shape]);
    scratch.floats(xAt, input.shape).set(backend.readSync(input.dataId) as Float32Array);
    scratch.floats(dyAt, dy.shape).set(backend.readSync(dy.dataId) as Float32Array);
    scratch.floats(dxAt, input.shape).fill(0);
    maxPoolGradTwoByTwo(scratch.memory, { x: xAt, dy: dyAt, dx: dxAt }, geometry, { firstIsCandidate: true });
    return output(backend, scratch.floats(dxAt, input.shape), input.shape);
  });
}

/** The pooling's geometry when it is float32 NHWC with 2×2 windows, stride 2, no padding; else undefined. */
function twoByTwoGeometry(x: tf.TensorInfo, attrs: tf.MaxPoolAttrs): PoolGeometry | undefined {
  if (x.dtype !== "float32" || x.shape.length !== 4) return undefined;
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  if (info.dataFormat !== "channelsLast" || info.outHeight < 1 || info.outWidth < 1 || info.inChannels < 1 || info.batchSize < 1) return undefined;
  const geometry = poolGeometry(info);
  return isWholeTwoByTwo(geometry) ? geometry : undefined;
}

/** One WebAssembly memory for the kernel's operands, grown when a call needs more. */
const scratch = {
  memory: new WebAssembly.Memory({ initial: 1 }),
  /** Byte addresses of consecutive float32 tensors of these shapes, after growing the memory to hold them. */
  place<const S extends readonly number[][]>(shapes: S): { [K in keyof S]: number } {
    const addresses: number[] = [];
    let end = 0;
    for (const shape of shapes) {
      addresses.push(end);
      end += 4 * tf.util.sizeFromShape(shape);
    }
    const pages = Math.ceil(end / 65536) - this.memory.buffer.byteLength / 65536;
    if (pages > 0) this.memory.grow(pages);
    return addresses as { [K in keyof S]: number };
  },
  floats(address: number, shape: number[]): Float32Array {
    return new Float32Array(this.memory.buffer, address, tf.util.sizeFromShape(shape));
  },
};

/**
 * A tensor on the tensorflow backend with a copy of `values`, made now: they are a view of the scratch memory,
 * which the next call overwrites (tfjs-node would otherwise copy them only when an op first reads the tensor).
 */
function output(backend: TensorflowBackend, values: Float32Array, shape: number[]): tf.TensorInfo {
  const info: tf.TensorInfo = { dataId: backend.write(values, shape, "float32"), shape, dtype: "float32" };
  backend.getInputTensorIds([info]);
  return info;
}
