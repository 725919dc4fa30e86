// The file extensions Diptych offers to sharp, in one place for the dataset scan, the media route
// and batch convert: a file is an image to all of them or to none.
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
  '.heic',
  '.heif',
  '.bmp',
]);
