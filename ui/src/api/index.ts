// The UI's only door to the backend: the one module that imports @tauri-apps/* (through the
// generated bindings). Commands that fail throw an `ApiError` carrying the backend's code.
import { convertFileSrc } from "@tauri-apps/api/core";
import type { UnlistenFn } from "@tauri-apps/api/event";
import { commands, events } from "./bindings";
import type {
  AboutInfo,
  AppError,
  AvatarPlan,
  AvatarRequest,
  ErrorCode,
  FaceChange,
  FaceDecision,
  FaceOnPhoto,
  FigureDraft,
  ExportSummary,
  JobKind,
  JobUpdate,
  FigureExport,
  Group,
  GroupChange,
  FigureRequest,
  GalleryReport,
  GridPhoto,
  Accepted,
  Rejected,
  ClaimReport,
  ClaimView,
  FetchPlan,
  FetchResult,
  Event as EventRecord,
  KeptPost,
  LibraryInfo,
  PostFormat,
  PostReport,
  PostView,
  Offer,
  PhotoChange,
  PhotoDecision,
  PhotoDetails,
  Person,
  PersonInput,
  PhotoFaces,
  PhotoFilter,
  RosterReport,
  SavedPerson,
  SidecarReport,
  SyncReport,
  TeamStatus,
  TriageQueue,
  LeaveReport,
} from "./bindings";

export type {
  Claim,
  ConsentChange,
  ClaimReport,
  ClaimView,
  FaceClaim,
  FetchPlan,
  FetchResult,
  ComposedFigure,
  ComposedPost,
  Event as EventRecord,
  KeptPost,
  PostFormat,
  PostPhoto,
  PostReport,
  PostView,
  SyncReport,
  TeamStatus,
  AboutInfo,
  AvatarPlan,
  AvatarProgress,
  AvatarReport,
  Consent,
  FaceState,
  DetectProgress,
  DetectReport,
  Face,
  FaceChange,
  FaceDecision,
  FaceOnPhoto,
  Group,
  GroupChange,
  EmbedProgress,
  EmbedReport,
  ExportSummary,
  FailedFile,
  FigureDraft,
  FigureExport,
  FigureRequest,
  GridPhoto,
  IndexProgress,
  IndexReport,
  JobKind,
  JobUpdate,
  LibraryInfo,
  Offer,
  Person,
  PersonInput,
  PhotoDetails,
  PhotoFaces,
  PhotoFilter,
  PhotoChange,
  PhotoDecision,
  Region,
  RosterReport,
  RowIssue,
  RowsBy,
  Marker,
  SavedPerson,
  TriageQueue,
  WhoEntry,
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
  about: (): Promise<AboutInfo> => commands.about(),
  libraryInfo: (): Promise<LibraryInfo> => unwrap(commands.libraryInfo()),
  listPhotos: (filter: PhotoFilter = { untagged: false, people: [] }): Promise<GridPhoto[]> =>
    unwrap(commands.listPhotos(filter)),
  photoDetails: (id: number): Promise<PhotoDetails> => unwrap(commands.photoDetails(id)),
  pickFolders: (): Promise<string[] | null> => commands.pickFolders(),
  startIndexing: (folders: string[]): Promise<null> => unwrap(commands.startIndexing(folders)),
  /** Stops these jobs after the item in hand; nothing follows a cancelled job. */
  cancelJobs: (kinds: JobKind[]): Promise<boolean> => commands.cancelJobs(kinds),
  startFaceSearch: (): Promise<null> => unwrap(commands.startFaceSearch()),
  photoFaces: (id: number): Promise<PhotoFaces> => unwrap(commands.photoFaces(id)),
  listPeople: (): Promise<Person[]> => unwrap(commands.listPeople()),
  getPerson: (login: string): Promise<Person | null> => unwrap(commands.getPerson(login)),
  decideFace: (photoId: number, decision: FaceDecision): Promise<FaceChange> =>
    unwrap(commands.decideFace(photoId, decision)),
  decideFaces: (decisions: PhotoDecision[]): Promise<PhotoChange[]> => unwrap(commands.decideFaces(decisions)),
  faceGroups: (): Promise<Group[]> => unwrap(commands.faceGroups()),
  regroupFaces: (changes: GroupChange[]): Promise<GroupChange[]> => unwrap(commands.regroupFaces(changes)),
  personSuggestions: (login: string): Promise<FaceOnPhoto[]> => unwrap(commands.personSuggestions(login)),
  offerPeople: (photoId: number, faceId: number | null, query: string): Promise<Offer> =>
    unwrap(commands.offerPeople(photoId, faceId, query)),
  untaggedFaces: (limit: number): Promise<TriageQueue> => unwrap(commands.untaggedFaces(limit)),
  savePerson: (person: PersonInput): Promise<SavedPerson> => unwrap(commands.savePerson(person)),
  pickRosterFile: (): Promise<string | null> => commands.pickRosterFile(),
  importRoster: (path: string, lowerConsent = false): Promise<RosterReport> =>
    unwrap(commands.importRoster(path, lowerConsent)),
  openProfile: (login: string): Promise<null> => unwrap(commands.openProfile(login)),
  figureDraft: (photoId: number, event: string | null): Promise<FigureDraft> =>
    unwrap(commands.figureDraft(photoId, event)),
  pickExportFile: (suggested: string): Promise<string | null> => commands.pickExportFile(suggested),
  exportFigure: (photoId: number, path: string, request: FigureRequest): Promise<FigureExport> =>
    unwrap(commands.exportFigure(photoId, path, request)),
  previewFigure: (photoId: number, request: FigureRequest): Promise<string> =>
    unwrap(commands.previewFigure(photoId, request)),
  exportSummary: (): Promise<ExportSummary> => unwrap(commands.exportSummary()),
  pickFolder: (title: string): Promise<string | null> => commands.pickFolder(title),
  exportGallery: (folder: string, title: string | null, claimsRepo: string | null): Promise<GalleryReport> =>
    unwrap(commands.exportGallery(folder, title, claimsRepo)),
  listClaims: (): Promise<ClaimView[]> => unwrap(commands.listClaims()),
  acceptClaim: (issue: number, lowerConsent = false): Promise<Accepted> =>
    unwrap(commands.acceptClaim(issue, lowerConsent)),
  reopenClaim: (issue: number): Promise<ClaimView> => unwrap(commands.reopenClaim(issue)),
  rejectClaim: (issue: number): Promise<Rejected> => unwrap(commands.rejectClaim(issue)),
  eventRepository: (): Promise<string | null> => unwrap(commands.eventRepository()),
  pickClaimsFile: (): Promise<string | null> => commands.pickClaimsFile(),
  importClaims: (path: string): Promise<ClaimReport> => unwrap(commands.importClaims(path)),
  claimsFetchPlan: (repo: string): Promise<FetchPlan> => unwrap(commands.claimsFetchPlan(repo)),
  fetchClaims: (repo: string): Promise<FetchResult> => unwrap(commands.fetchClaims(repo)),
  cancelClaimsFetch: (): Promise<void> => commands.cancelClaimsFetch(),
  claimsFetchProgress: (): Promise<[number, number]> => commands.claimsFetchProgress(),
  openIssue: (issue: number): Promise<null> => unwrap(commands.openIssue(issue)),
  exportXmp: (folder: string | null): Promise<SidecarReport> => unwrap(commands.exportXmp(folder)),
  getPost: (format: PostFormat): Promise<PostView> => unwrap(commands.getPost(format)),
  savePost: (post: KeptPost, format: PostFormat): Promise<PostView> => unwrap(commands.savePost(post, format)),
  addToPost: (photoIds: number[], format: PostFormat): Promise<PostView> => unwrap(commands.addToPost(photoIds, format)),
  exportPost: (folder: string, format: PostFormat, replaceEdits: boolean): Promise<PostReport> =>
    unwrap(commands.exportPost(folder, format, replaceEdits)),
  getEvent: (): Promise<EventRecord> => unwrap(commands.getEvent()),
  saveEvent: (event: EventRecord): Promise<EventRecord> => unwrap(commands.saveEvent(event)),
  avatarPlan: (refresh: boolean): Promise<AvatarPlan> => unwrap(commands.avatarPlan(refresh)),
  startAvatars: (request: AvatarRequest): Promise<null> => unwrap(commands.startAvatars(request)),

  teamStatus: (): Promise<TeamStatus | null> => unwrap(commands.teamStatus()),
  joinTeam: (folder: string, login: string): Promise<SyncReport> => unwrap(commands.joinTeam(folder, login)),
  syncTeam: (): Promise<SyncReport> => unwrap(commands.syncTeam()),
  leaveTeam: (): Promise<LeaveReport> => unwrap(commands.leaveTeam()),
  /** Teammates' decisions that arrived and were applied (or team files that could not be read). */
  onTeamUpdate: (cb: (report: SyncReport) => void): Promise<UnlistenFn> =>
    events.teamUpdate.listen((e) => cb(e.payload)),
  /** Every background job's progress, end and failure, as one stream of updates. */
  onJob: (cb: (update: JobUpdate) => void): Promise<UnlistenFn> => events.jobUpdate.listen((e) => cb(e.payload)),
};

/** Address of a face's crop, named by the core for the box it shows: a moved box has another
 *  address, and the window keeps a crop for good under its own. */
export function faceCropUrl(face: { id: number; crop: string }): string {
  return convertFileSrc(`face/${face.id}/${face.crop}`, "thumb");
}

/** Address of a face's crop by id alone, for lists that know no box (groups of unnamed faces). */
export function faceCropUrlById(id: number): string {
  return convertFileSrc(`face/${id}/0`, "thumb");
}

/** Address of an attendee's avatar (kept in the library), when they have one; named by its
 *  picture's hash when that is known, so the window keeps it for good. */
export function avatarUrl(p: Pick<Person, "id" | "avatar"> & { avatar_hash?: string | null }): string | null {
  return p.avatar === null ? null : convertFileSrc(`avatar/${p.id}/${p.avatar_hash ?? "0"}`, "thumb");
}

/** A small avatar image next to a login, or nothing when there is none. */
export function avatarImage(p: Pick<Person, "id" | "avatar"> & { avatar_hash?: string | null }): HTMLImageElement | null {
  const url = avatarUrl(p);
  if (!url) return null;
  const img = document.createElement("img");
  img.className = "avatar";
  img.alt = "";
  img.loading = "lazy";
  img.src = url;
  return img;
}

/** Address of the face crop that stands for an attendee, or null when they have no face yet. */
export function personCropUrl(p: Person): string | null {
  return p.best_face === null || p.best_face_crop === null
    ? null
    : faceCropUrl({ id: p.best_face, crop: p.best_face_crop });
}

/** Address of a photo's cached rendition, served by the app's `thumb:` scheme by photo id. */
export function thumbnailUrl(id: number, size: "grid" | "preview"): string {
  return convertFileSrc(`${size}/${id}`, "thumb");
}
