/**
 * 6. Uploading a 50 MB file in blocks: the library's `UploadFile.upload`
 * against a hand-written block loop sending the same requests (each block
 * with its `tmpUploadId` and `blockOffset`, then the link). The file is
 * generated as a `ReadableStream`, so neither side ever has it in memory;
 * this process runs with a 64 MB heap (`--max-old-space-size=64`, less than
 * the file and its base64 text) and reports each side's peak memory over
 * what was in use before (V8 heap plus array buffers, where the blocks'
 * bytes live), in MB and in blocks. Each round uploads into a fresh
 * simulator process, which keeps what it stores (both sides' files) and
 * reports its own memory after them.
 */
import { UploadFile } from "@onoffice-effect/client"
import { Buffer } from "node:buffer"
import { performance } from "node:perf_hooks"
import { send } from "../handWritten.js"
import { measured, median, type Result, report, round } from "../harness.js"
import * as Library from "../library.js"
import * as Remote from "../remote.js"

const fileBytes = 50 * 1024 * 1024
/** 192 KiB: 262,144 base64 characters a block, 267 blocks for the file. */
const blockSize = 3 * 65_536
const rounds = 3
const chunkSize = 64 * 1024
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const mb = (bytes: number) => bytes / 1024 / 1024

/**
 * The file, generated chunk by chunk as it is read: the same bytes every
 * time. `everyMiB` runs after each MiB handed out (the memory pass).
 */
const file = (everyMiB: () => void = () => {}): ReadableStream<Uint8Array> => {
  let at = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= fileBytes) return controller.close()
      if (at > 0 && at % (1024 * 1024) === 0) everyMiB()
      const chunk = new Uint8Array(Math.min(chunkSize, fileBytes - at))
      for (let i = 0; i < chunk.length; i++) chunk[i] = ((at + i) * 2_654_435_761) >>> 24
      at += chunk.length
      controller.enqueue(chunk)
    }
  }, { highWaterMark: 0 })
}

/** What a careful developer writes: fill a block from the stream, base64 it, send it; then link. */
const handWritten = async (remote: Remote.Remote, estate: number, source: ReadableStream<Uint8Array>) => {
  const reader = source.getReader()
  const block = Buffer.alloc(blockSize)
  let filled = 0
  let offset = 0
  let tmpUploadId: string | undefined
  const flush = async () => {
    const data = block.subarray(0, filled).toString("base64")
    const parameters = tmpUploadId === undefined ? { data } : { data, tmpUploadId, blockOffset: offset }
    const answer = await send(remote.apiUrl, remote.demo, [{ verb: "do", resourcetype: "uploadfile", parameters }])
    const records = answer.response.results[0]!.data.records as ReadonlyArray<{ elements: { tmpUploadId: string } }>
    tmpUploadId = records[0]!.elements.tmpUploadId
    offset += filled
    filled = 0
  }
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    let taken = 0
    while (taken < value.length) {
      const n = Math.min(blockSize - filled, value.length - taken)
      block.set(value.subarray(taken, taken + n), filled)
      filled += n
      taken += n
      if (filled === blockSize) await flush()
    }
  }
  if (filled > 0) await flush()
  await send(remote.apiUrl, remote.demo, [{
    verb: "do",
    resourcetype: "uploadfile",
    parameters: { tmpUploadId, module: "estate", relatedRecordId: estate, Art: "Dokument", file: "hand-written.bin" }
  }])
}

const inUse = () => {
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.arrayBuffers
}

/**
 * Wall milliseconds of `run`, this process's CPU milliseconds meanwhile (the
 * client's own work: the simulator runs in another process), and the most
 * memory in use meanwhile above what was in use before it (bytes).
 */
const timed = async (run: () => Promise<unknown>) => {
  gc()
  const before = inUse()
  let peak = before
  const timer = setInterval(() => (peak = Math.max(peak, inUse())), 2)
  const started = performance.now()
  const cpu = process.cpuUsage()
  try {
    await run()
    const used = process.cpuUsage(cpu)
    return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, peak: Math.max(peak, inUse()) - before }
  } finally {
    clearInterval(timer)
  }
}

/**
 * The memory `run` keeps alive: garbage collected after every MiB the
 * upload has read, the amounts in use above the start (bytes): the largest,
 * and the growth from the first quarter of the file to the last (medians),
 * which is what would show memory that grows with the file.
 */
const live = async (run: (source: ReadableStream<Uint8Array>) => Promise<unknown>) => {
  gc()
  const before = inUse()
  const samples: Array<number> = []
  await run(file(() => {
    gc()
    samples.push(inUse() - before)
  }))
  const quarter = Math.floor(samples.length / 4)
  return { most: Math.max(...samples), growth: median(samples.slice(-quarter)) - median(samples.slice(0, quarter)) }
}

const sides = {
  library: { ms: [] as Array<number>, cpuMs: [] as Array<number>, peak: 0, live: { most: 0, growth: 0 } },
  handWritten: { ms: [] as Array<number>, cpuMs: [] as Array<number>, peak: 0, live: { most: 0, growth: 0 } }
}
const ratios: Array<number> = []
let simulatorMb = 0
for (let r = 0; r <= rounds; r++) {
  const remote = await Remote.start()
  const first = await send(remote.apiUrl, remote.demo, [{ verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 1 } }])
  const estate = Number((first.response.results[0]!.data.records[0] as { id: number | string }).id)
  const library = Library.runtime(remote.apiUrl, remote.demo)
  const viaLibrary = (source: ReadableStream<Uint8Array>) =>
    library.runPromise(
      UploadFile.upload(source, { module: "estate", relatedRecordId: estate, Art: "Dokument", file: "library.bin" }, { blockSize })
    )
  const viaHand = (source: ReadableStream<Uint8Array>) => handWritten(remote, estate, source)
  if (r === rounds) {
    // the last round measures what stays alive, not time
    sides.library.live = await live(viaLibrary)
    sides.handWritten.live = await live(viaHand)
  } else {
    const a = await timed(() => viaLibrary(file()))
    const b = await timed(() => viaHand(file()))
    sides.library.ms.push(a.ms)
    sides.library.cpuMs.push(a.cpuMs)
    sides.handWritten.cpuMs.push(b.cpuMs)
    sides.library.peak = Math.max(sides.library.peak, a.peak)
    sides.handWritten.ms.push(b.ms)
    sides.handWritten.peak = Math.max(sides.handWritten.peak, b.peak)
    ratios.push(a.ms / b.ms)
  }
  await library.dispose()
  const stats = await remote.stats()
  simulatorMb = Math.max(simulatorMb, stats.heapUsedMb + stats.arrayBuffersMb)
  remote.stop()
}

const cpuRatios = sides.library.cpuMs.map((ms, i) => ms / sides.handWritten.cpuMs[i]!)
const inBlocks = (bytes: number) => round(bytes / blockSize)
const growth = sides.library.live.growth
const results: ReadonlyArray<Result> = [
  {
    name: "upload 50 MB in 192 KiB blocks (267 requests + link)",
    value: round(median(ratios)),
    unit: "×",
    a: measured("library: UploadFile.upload from a ReadableStream", sides.library.ms, "ms/op"),
    b: measured("hand-written block loop: Buffer base64 + fetch", sides.handWritten.ms, "ms/op"),
    rounds,
    spread: { min: round(Math.min(...ratios)), max: round(Math.max(...ratios)) },
    target: "<= 1.5",
    met: median(ratios) <= 1.5
  },
  {
    // the client's own CPU, steadier than wall time on a shared machine
    name: "upload 50 MB: the client process's CPU, library / hand-written",
    value: round(median(cpuRatios)),
    unit: "×",
    a: measured("library", sides.library.cpuMs, "ms CPU/op"),
    b: measured("hand-written", sides.handWritten.cpuMs, "ms CPU/op"),
    rounds,
    spread: { min: round(Math.min(...cpuRatios)), max: round(Math.max(...cpuRatios)) }
  },
  {
    name: "memory kept alive while uploading 50 MB (after GC, each MiB), in 192 KiB blocks",
    value: inBlocks(sides.library.live.most),
    unit: "blocks",
    rounds: 1,
    spread: { min: inBlocks(sides.library.live.most), max: inBlocks(sides.library.live.most) },
    target: "<= 32 (the file is 267)",
    met: sides.library.live.most <= 32 * blockSize,
    extra: {
      "library MB": round(mb(sides.library.live.most)),
      "hand-written blocks": inBlocks(sides.handWritten.live.most),
      "peak in use incl. garbage (64 MB heap cap), library MB": round(mb(sides.library.peak)),
      "hand-written MB": round(mb(sides.handWritten.peak)),
      "simulator MB after storing both files": round(simulatorMb)
    }
  },
  {
    name: "growth of the memory kept alive from the first quarter of the 50 MB to the last, in blocks",
    value: inBlocks(growth),
    unit: "blocks",
    rounds: 1,
    spread: { min: inBlocks(growth), max: inBlocks(growth) },
    target: "flat (< 2 blocks)",
    met: growth < 2 * blockSize,
    extra: { "hand-written blocks": inBlocks(sides.handWritten.live.growth) }
  }
]
report(results)
