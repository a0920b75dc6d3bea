// WeChat's network and file pickers at the outermost edge of the mini program tests, for `launchPage({ wx })`:
// wx.uploadFile and wx.request forward to a real server over loopback HTTP (the multipart body as WeChat builds
// it: the formData fields, then the file part named `name` with the temp file's name; progress as bytes go out),
// wx.getFileInfo gives the size of a temp file, and chooseMessageFile / chooseImage / chooseVideo hand out temp
// paths (wxfile://tmp_…) for files the test offered. No other behaviour: the answer is the server's.
import { randomBytes } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { extname } from 'node:path'

type Options = Record<string, any>
type Kind = 'file' | 'image' | 'video'

const finish = (o: Options, ok: boolean, result: Options) => {
  ;(ok ? o.success : o.fail)?.(result)
  o.complete?.(result)
}

/** POSTs `body` to `url` with node:http in 64 KB writes, reporting the fraction written; answers the status and text. */
function post(url: string, headers: Record<string, string>, body: Buffer, onWritten?: (fraction: number) => void) {
  return new Promise<{ statusCode: number; contentType: string; text: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (chunk) => (text += chunk))
      res.on('end', () => resolve({ statusCode: res.statusCode!, contentType: String(res.headers['content-type'] ?? ''), text }))
    })
    req.on('error', reject)
    const step = 64 * 1024
    for (let at = 0; at < body.length; at += step) {
      req.write(body.subarray(at, at + step))
      onWritten?.(Math.min(1, (at + step) / body.length))
    }
    req.end()
  })
}

export interface WeChatNetwork {
  /** The `wx` methods to pass to `launchPage({ wx })`. */
  wx: Record<string, (options: Options) => unknown>
  /** The next pick of `kind` gives this file from disk (a file's name as chooseMessageFile reports it). */
  offer(kind: Kind, diskPath: string, name?: string): void
  /** Every wx.uploadFile: the URL, the temp path and the form fields. */
  uploads: Array<{ url: string; filePath: string; name: string; formData: Record<string, string> }>
  /** Every wx.request: method and URL. */
  requests: Array<{ method: string; url: string }>
}

export function createWeChatNetwork(): WeChatNetwork {
  const tempFiles = new Map<string, string>()
  const offered: Record<Kind, Array<{ path: string; name?: string }>> = { file: [], image: [], video: [] }
  const uploads: WeChatNetwork['uploads'] = []
  const requests: WeChatNetwork['requests'] = []

  /** The next offered file of `kind` as a temp path, or a cancelled pick. */
  function pick(kind: Kind, api: string, o: Options, answer: (path: string, size: number, name?: string) => Options) {
    const next = offered[kind].shift()
    setTimeout(() => {
      if (!next) return finish(o, false, { errMsg: `${api}:fail cancel` })
      const temp = `wxfile://tmp_${randomBytes(8).toString('hex')}${extname(next.name ?? next.path)}`
      tempFiles.set(temp, next.path)
      finish(o, true, { errMsg: `${api}:ok`, ...answer(temp, statSync(next.path).size, next.name) })
    })
  }

  const wx: WeChatNetwork['wx'] = {
    chooseMessageFile: (o) =>
      pick('file', 'chooseMessageFile', o, (path, size, name) => ({ tempFiles: [{ path, name, size, type: 'file', time: Date.now() }] })),
    chooseImage: (o) => pick('image', 'chooseImage', o, (path, size) => ({ tempFilePaths: [path], tempFiles: [{ path, size }] })),
    chooseVideo: (o) => pick('video', 'chooseVideo', o, (path, size) => ({ tempFilePath: path, size, duration: 3, width: 640, height: 360 })),
    getFileInfo(o) {
      const disk = tempFiles.get(o.filePath)
      setTimeout(() =>
        disk ? finish(o, true, { errMsg: 'getFileInfo:ok', size: statSync(disk).size }) : finish(o, false, { errMsg: 'getFileInfo:fail file not exist' }),
      )
    },
    uploadFile(o) {
      const listeners: Array<(result: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }) => void> = []
      const formData = { ...(o.formData as Record<string, string> | undefined) }
      uploads.push({ url: o.url, filePath: o.filePath, name: o.name, formData })
      setTimeout(() => {
        const disk = tempFiles.get(o.filePath)
        if (!disk) return finish(o, false, { errMsg: 'uploadFile:fail file not exist' })
        const boundary = `----WeChatFormBoundary${randomBytes(8).toString('hex')}`
        const fields = Object.entries(formData).map(([key, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`)
        const fileName = o.filePath.replace(/^.*[/]/, '')
        const head = `--${boundary}\r\nContent-Disposition: form-data; name="${o.name}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`
        const body = Buffer.concat([Buffer.from(fields.join('') + head), readFileSync(disk), Buffer.from(`\r\n--${boundary}--\r\n`)])
        const headers = { ...o.header, 'content-type': `multipart/form-data; boundary=${boundary}` }
        const report = (fraction: number) => {
          const totalBytesSent = Math.round(fraction * body.length)
          const sent = { progress: Math.round(fraction * 100), totalBytesSent, totalBytesExpectedToSend: body.length }
          listeners.forEach((listener) => listener(sent))
        }
        post(o.url, headers, body, report).then(
          // wx.uploadFile gives the body as text.
          (res) => finish(o, true, { errMsg: 'uploadFile:ok', statusCode: res.statusCode, data: res.text }),
          (error: Error) => finish(o, false, { errMsg: `uploadFile:fail ${error.message}` }),
        )
      })
      return { onProgressUpdate: (l: (typeof listeners)[number]) => listeners.push(l), offProgressUpdate() {}, abort() {} }
    },
    request(o) {
      const method = String(o.method ?? 'GET').toUpperCase()
      requests.push({ method, url: o.url })
      const json = o.data !== undefined && typeof o.data != 'string'
      const body = Buffer.from(json ? JSON.stringify(o.data) : (o.data ?? ''))
      post(o.url, { ...(json ? { 'content-type': 'application/json' } : {}), ...o.header }, body).then(
        // dataType json (the default): a JSON body comes parsed.
        (res) => {
          let data: unknown = res.text
          try {
            data = JSON.parse(res.text)
          } catch {}
          finish(o, true, { errMsg: 'request:ok', statusCode: res.statusCode, data, header: { 'content-type': res.contentType } })
        },
        (error: Error) => finish(o, false, { errMsg: `request:fail ${error.message}` }),
      )
      return { abort() {}, onHeadersReceived() {} }
    },
  }
  return {
    wx,
    offer: (kind, diskPath, name) => void offered[kind].push({ path: diskPath, name }),
    uploads,
    requests,
  }
}
