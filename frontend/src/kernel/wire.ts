// The v1.kernel.websocket.jupyter.org frame format (all integers uint64 little-endian):
//   k | offsets[k] | channel | header | parent_header | metadata | content | buffers...
// offsets[0] is where the channel starts, each later offset where a part ends.

import type { MessageContents, MsgType } from "./messages";

export const V1_PROTOCOL = "v1.kernel.websocket.jupyter.org";

export type Channel = "shell" | "iopub" | "stdin" | "control";

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

/** A message; its content is typed once its msg_type is known (see isMessage). */
export interface KernelMessage<C extends object = Record<string, unknown>> {
  channel: Channel;
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: ArrayBuffer[];
}

/** The content of a msg_type: its generated type (messages.ts), or any object for others. */
export type ContentOf<T extends string> = T extends MsgType ? MessageContents[T] : Record<string, unknown>;

/**
 * Narrows a received message by its msg_type, typing its content. A static claim only: the
 * content is what the kernel sent, unchecked (no cost per message); read it defensively.
 */
export function isMessage<T extends MsgType>(msg: KernelMessage, type: T): msg is KernelMessage<MessageContents[T]> {
  return msg.header.msg_type === type;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeV1(msg: KernelMessage): ArrayBuffer {
  const chunks: Uint8Array[] = [
    encoder.encode(msg.channel),
    encoder.encode(JSON.stringify(msg.header)),
    encoder.encode(JSON.stringify(msg.parent_header)),
    encoder.encode(JSON.stringify(msg.metadata)),
    encoder.encode(JSON.stringify(msg.content)),
    ...msg.buffers.map((b) => new Uint8Array(b)),
  ];
  const count = chunks.length + 1;
  const headSize = 8 * (count + 1);
  const total = headSize + chunks.reduce((n, c) => n + c.byteLength, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(count), true);
  let offset = headSize;
  view.setBigUint64(8, BigInt(offset), true);
  chunks.forEach((chunk, i) => {
    out.set(chunk, offset);
    offset += chunk.byteLength;
    view.setBigUint64(8 * (i + 2), BigInt(offset), true);
  });
  return out.buffer;
}

export function decodeV1(data: ArrayBuffer): KernelMessage {
  const view = new DataView(data);
  if (data.byteLength < 8) throw new Error("kernel frame too short");
  const count = Number(view.getBigUint64(0, true));
  if (count < 6 || data.byteLength < 8 * (count + 1)) throw new Error("kernel frame has an impossible offset count");
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) offsets.push(Number(view.getBigUint64(8 * (i + 1), true)));
  // Parts lie after the offset table, in order, inside the frame.
  if (offsets[0] < 8 * (count + 1) || offsets.some((o, i) => o > data.byteLength || (i > 0 && o < offsets[i - 1]))) {
    throw new Error("kernel frame has offsets outside it");
  }
  const part = (i: number) => new Uint8Array(data, offsets[i], offsets[i + 1] - offsets[i]);
  const json = (i: number) => JSON.parse(decoder.decode(part(i)) || "{}");
  const buffers: ArrayBuffer[] = [];
  for (let i = 5; i < count - 1; i++) buffers.push(data.slice(offsets[i], offsets[i + 1]));
  return {
    channel: decoder.decode(part(0)) as Channel,
    header: json(1),
    parent_header: json(2),
    metadata: json(3),
    content: json(4),
    buffers,
  };
}
