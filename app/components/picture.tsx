import { imageSrcSet, imageUrl, type ImageRef } from "~/lib/images";

type PictureProps = {
  image: ImageRef;
  /** What the picture shows; "" when it only repeats the text next to it (a profile photo). */
  alt: string;
  /** How wide the picture is shown, for the browser's choice between the two sizes. */
  sizes: string;
  className?: string;
  /** Above the fold: load at once instead of when scrolled near. */
  eager?: boolean;
};

/** A stored picture in its two sizes; the browser picks the smallest that is sharp enough. */
export function Picture({ image, alt, sizes, className, eager }: PictureProps) {
  return (
    <img
      src={imageUrl(image.id, 400)}
      srcSet={imageSrcSet(image)}
      sizes={sizes}
      width={image.width}
      height={image.height}
      alt={alt}
      className={className}
      loading={eager ? undefined : "lazy"}
      decoding="async"
    />
  );
}

/** A member's profile photo, round, next to their name (which says who it is: alt=""). */
export function Avatar({ image, size }: { image: ImageRef; size: "small" | "large" }) {
  return <Picture image={image} alt="" sizes={size === "small" ? "3rem" : "6rem"} className={`avatar avatar-${size}`} eager={size === "large"} />;
}
