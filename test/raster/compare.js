// Comparing a printed sheet (decoded printer output, 1 = dot) with the raster page it came from. Engine-neutral.

/** The part of the sheet inside the margins (hundredths of a mm), in pixels: [left, right) × [top, bottom). */
export function marginBox(width, height, dpi, margins) {
  const px = (hundredths) => Math.ceil(hundredths * dpi / 2540);
  return { left: px(margins.left), right: width - px(margins.right), top: px(margins.top), bottom: height - px(margins.bottom) };
}

/**
 * 1-bit input: every dot is at a black input pixel inside the margins (so the page is in place and nothing is
 * printed in the margins), and every black input pixel inside the margins, but for `slack` pixels at the left (the
 * first printed column is a multiple of 8) and `slackTop` lines at the top, is a dot. Returns the first failures.
 */
export function compareExact(input, sheet, box, { slack = 8, slackTop = 1 } = {}) {
  const problems = [];
  let dots = 0, inked = 0;
  for (let y = 0; y < sheet.height; y++) {
    for (let x = 0; x < sheet.width; x++) {
      const dot = sheet.dots[y * sheet.width + x] === 1;
      const black = x < input.width && y < input.height && input.gray[y * input.width + x] < 128;
      const inside = x >= box.left && x < box.right && y >= box.top && y < box.bottom;
      const surely = x >= box.left + slack && x < box.right - slack && y >= box.top + slackTop && y < box.bottom;
      if (dot) dots++;
      if (black && surely) inked++;
      if (dot && !(black && inside) && problems.length < 5) problems.push(`a dot at ${x},${y} where the page is ${black ? "black outside the margins" : "white"}`);
      if (!dot && black && surely && problems.length < 5) problems.push(`no dot at ${x},${y} where the page is black`);
    }
  }
  return { problems, dots, inked };
}

/**
 * Gray input: the mean darkness (0 white ... 1 black) of each block × block square inside the margins (less
 * `slack`), printed against the page's. Returns the largest difference and the mean of the differences.
 */
export function compareDensity(input, sheet, box, { block = 16, slack = 8 } = {}) {
  let worst = 0, total = 0, blocks = 0, worstAt = "";
  for (let y0 = box.top + slack; y0 + block <= box.bottom - slack; y0 += block) {
    for (let x0 = box.left + slack; x0 + block <= box.right - slack; x0 += block) {
      let printed = 0, wanted = 0;
      for (let y = y0; y < y0 + block; y++) {
        for (let x = x0; x < x0 + block; x++) {
          printed += sheet.dots[y * sheet.width + x];
          wanted += 1 - input.gray[y * input.width + x] / 255;
        }
      }
      const difference = Math.abs(printed - wanted) / (block * block);
      if (difference > worst) { worst = difference; worstAt = `${x0},${y0}`; }
      total += difference;
      blocks++;
    }
  }
  return { worst, mean: total / blocks, blocks, worstAt };
}

/** Dots outside the box: there must be none. */
export function dotsOutside(sheet, box) {
  let count = 0;
  for (let y = 0; y < sheet.height; y++)
    for (let x = 0; x < sheet.width; x++)
      if (sheet.dots[y * sheet.width + x] && !(x >= box.left && x < box.right && y >= box.top && y < box.bottom)) count++;
  return count;
}

/**
 * Gray input, its pure pixels: inside the box (less `slack` at the left and right, where the first printed column
 * is a multiple of 8), every pixel the page has at 0 must be a dot and every one at 255 must not (dithering leaves
 * pure black and pure white alone). `interior` r: only the pixels whose (2r + 1)² neighbourhood is all the same
 * (away from edges, which a page placed a fraction of a pixel away renders differently). Returns how many were
 * checked, how many differ and the first failures.
 */
export function comparePure(input, sheet, box, { slack = 8, interior = 0 } = {}) {
  const problems = [];
  let checked = 0, wrong = 0;
  const uniform = (x, y, value) => {
    for (let v = Math.max(0, y - interior); v <= Math.min(input.height - 1, y + interior); v++)
      for (let u = Math.max(0, x - interior); u <= Math.min(input.width - 1, x + interior); u++)
        if (input.gray[v * input.width + u] !== value) return false;
    return true;
  };
  for (let y = box.top; y < box.bottom; y++) {
    for (let x = box.left + slack; x < box.right - slack; x++) {
      const value = input.gray[y * input.width + x];
      if (value !== 0 && value !== 255) continue;
      if (interior > 0 && !uniform(x, y, value)) continue;
      checked++;
      if ((sheet.dots[y * sheet.width + x] === 1) === (value === 0)) continue;
      wrong++;
      if (problems.length < 5) problems.push(`${value === 0 ? "no dot" : "a dot"} at ${x},${y} where the page is ${value === 0 ? "black" : "white"}`);
    }
  }
  return { checked, wrong, problems };
}

/**
 * The page moved by dx, dy pixels (what was at x, y is at x + dx, y + dy; white comes in at the edges), for a
 * reference rendering that its printed copy was placed against with a rounding of its own.
 */
export function shiftPage(page, dx, dy) {
  const gray = new Uint8Array(page.width * page.height).fill(255);
  for (let y = Math.max(0, dy); y < Math.min(page.height, page.height + dy); y++) {
    const from = (y - dy) * page.width;
    for (let x = Math.max(0, dx); x < Math.min(page.width, page.width + dx); x++) gray[y * page.width + x] = page.gray[from + x - dx];
  }
  return { ...page, gray };
}

/** The shift within ±range pixels that leaves the fewest pure pixels differing (comparePure): { dx, dy, wrong }. */
export function bestShift(page, sheet, box, range = 1) {
  let best;
  for (let dy = -range; dy <= range; dy++) {
    for (let dx = -range; dx <= range; dx++) {
      const { wrong } = comparePure(shiftPage(page, dx, dy), sheet, box);
      if (!best || wrong < best.wrong) best = { dx, dy, wrong };
    }
  }
  return best;
}
