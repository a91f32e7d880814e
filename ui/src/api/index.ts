// The UI's only door to the backend: the one module that imports @tauri-apps/* (through the
// generated bindings). Commands that fail throw an `ApiError` carrying the backend's code.
import { convertFileSrc } from "@tauri-apps/api/core";
import type { UnlistenFn } from "@tauri-apps/api/event";
import { commands, events } from "./bindings";
import type {
  AppError,
  DetectProgress,
  DetectReport,
  ErrorCode,
  Face,
  FaceState,
  IndexProgress,
  IndexReport,
  LibraryInfo,
  PhotoDetails,
  Person,
  PhotoSummary,
} from "./bindings";

export type {
  Consent,
  FaceState,
  DetectProgress,
  DetectReport,
  Face,
  FailedFile,
  IndexProgress,
  IndexReport,
  LibraryInfo,
  Person,
  PhotoDetails,
  PhotoSummary,
} from "./bindings";

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const result = await call;
  if (result.status === "error") throw new ApiError(result.error.code, result.error.message);
  return result.data;
}

export const api = {
  libraryInfo: (): Promise<LibraryInfo> => unwrap(commands.libraryInfo()),
  listPhotos: (): Promise<PhotoSummary[]> => unwrap(commands.listPhotos()),
  photoDetails: (id: number): Promise<PhotoDetails> => unwrap(commands.photoDetails(id)),
  pickFolders: (): Promise<string[] | null> => commands.pickFolders(),
  startIndexing: (folders: string[]): Promise<null> => unwrap(commands.startIndexing(folders)),
  cancelIndexing: (): Promise<boolean> => commands.cancelIndexing(),
  startFaceSearch: (): Promise<null> => unwrap(commands.startFaceSearch()),
  photoFaces: (id: number): Promise<Face[]> => unwrap(commands.photoFaces(id)),
  listPeople: (): Promise<Person[]> => unwrap(commands.listPeople()),
  tagFace: (photoId: number, faceId: number, login: string): Promise<Face> =>
    unwrap(commands.tagFace(photoId, faceId, login)),
  setFace: (photoId: number, faceId: number, login: string | null, state: FaceState): Promise<Face> =>
    unwrap(commands.setFace(photoId, faceId, login, state)),

  onIndexProgress: (cb: (p: IndexProgress) => void): Promise<UnlistenFn> =>
    events.indexProgressEvent.listen((e) => cb(e.payload)),
  onIndexFinished: (cb: (r: IndexReport) => void): Promise<UnlistenFn> =>
    events.indexFinishedEvent.listen((e) => cb(e.payload)),
  onJobError: (cb: (e: ApiError) => void): Promise<UnlistenFn> =>
    events.jobErrorEvent.listen((e) => cb(new ApiError(e.payload.code, e.payload.message))),
  onFaceSearchProgress: (cb: (p: DetectProgress) => void): Promise<UnlistenFn> =>
    events.faceSearchProgressEvent.listen((e) => cb(e.payload)),
  onFaceSearchFinished: (cb: (r: DetectReport) => void): Promise<UnlistenFn> =>
    events.faceSearchFinishedEvent.listen((e) => cb(e.payload)),
};

/** Address of a photo's cached rendition, served by the app's `thumb:` scheme by photo id. */
export function thumbnailUrl(id: number, size: "grid" | "preview"): string {
  return convertFileSrc(`${size}/${id}`, "thumb");
}
