// The background jobs screen: the jobs, newest first, narrowed to a status and a task, and a
// job's page (`#/jobs/<id>`) with its arguments, attempts and last error, where a dead job
// (one that failed every attempt) is retried.

import { h } from "../../lib/dom.js";
import { t } from "../../lib/i18n.js";
import { addMessages } from "../messages.js";
import { gql, mutate } from "../api.js";
import { href } from "../routes.js";
import { serverList } from "../ui/list.js";
import { age, dateTime, number } from "../ui/format.js";
import { badge, button, facts, pageHead, panel, state, toast } from "../ui/page.js";

addMessages({
  en: {
    "jobs.title": "Background jobs",
    "jobs.hint": "Work the shop does after a change: emails, payments to follow up, rates to import. A job that failed every attempt is dead until it is retried.",
    "jobs.status": "Status",
    "jobs.task": "Task",
    "jobs.key": "Key",
    "jobs.attempts": "Attempts",
    "jobs.lastError": "Last error",
    "jobs.updated": "Last change",
    "jobs.runAfter": "Not before",
    "jobs.created": "Created",
    "jobs.finished": "Finished",
    "jobs.arguments": "Arguments",
    "jobs.job": "Job",
    "jobs.retry": "Retry",
    "jobs.retried": "The job is queued to run again.",
    "jobs.notFound": "There is no such job.",
    "jobs.noError": "No error recorded.",
  },
  zh: {
    "jobs.title": "后台任务",
    "jobs.hint": "店铺在数据变更后执行的工作：发送邮件、跟进付款、导入汇率等。所有尝试都失败的任务会终止，需手动重试。",
    "jobs.status": "状态",
    "jobs.task": "任务",
    "jobs.key": "标识",
    "jobs.attempts": "尝试次数",
    "jobs.lastError": "最近错误",
    "jobs.updated": "最近变更",
    "jobs.runAfter": "最早执行",
    "jobs.created": "创建时间",
    "jobs.finished": "结束时间",
    "jobs.arguments": "参数",
    "jobs.job": "任务",
    "jobs.retry": "重试",
    "jobs.retried": "任务已重新排队等待执行。",
    "jobs.notFound": "没有这个任务。",
    "jobs.noError": "没有错误记录。",
  },
});

const STATUSES = ["PENDING", "QUEUED", "RUNNING", "DONE", "DEAD"];
const JOB_FIELDS = "id task key arguments status attempts lastError runAfter createdAt updatedAt finishedAt";

const TASKS = "query JobTasks { jobTasks }";
const JOBS = `query Jobs($status: JobStatus, $task: String, $first: Int, $after: String, $last: Int, $before: String) {
  jobs(filter: {status: $status, task: $task}, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id task key status attempts lastError updatedAt }
  }
}`;
const JOB = `query Job($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`;
const RETRY = `mutation RetryJob($input: RetryJobInput!) { retryJob(input: $input) { job { ${JOB_FIELDS} } errors { field code message } } }`;

/** The line of an error that says what went wrong (a traceback ends with it), cut for a cell. */
const errorLine = (text) => {
  const line = (text || "").trim().split("\n").at(-1) || "";
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
};

export async function show(view, ctx) {
  if (ctx.segments[0]) return showJob(view, ctx, ctx.segments[0]);
  const { jobTasks } = await gql(TASKS);
  if (!ctx.current()) return;
  const status = ctx.params.get("status");
  const list = serverList({
    ctx,
    query: JOBS,
    pick: (data) => data.jobs,
    variables: (params) => ({
      status: STATUSES.includes(params.get("status")) ? params.get("status") : null,
      task: params.get("task") || null,
    }),
    filters: [
      { name: "status", label: t("jobs.status"), type: "select", options: STATUSES.map((s) => [s, t(`status.${s}`)]) },
      { name: "task", label: t("jobs.task"), type: "select", options: jobTasks.map((task) => [task, task]) },
    ],
    columns: [
      { label: t("jobs.task"), cell: (j) => h("span", { class: "mono" }, j.task) },
      { label: t("jobs.key"), cell: (j) => h("span", { class: "mono job-key" }, j.key) },
      { label: t("jobs.status"), cell: (j) => badge(j.status) },
      { label: t("jobs.attempts"), cell: (j) => number(j.attempts), num: true },
      { label: t("jobs.lastError"), cell: (j) => h("span", { class: "job-error" }, errorLine(j.lastError)) },
      { label: t("jobs.updated"), cell: (j) => h("span", { title: dateTime(j.updatedAt) }, age(j.updatedAt)) },
    ],
    rowHref: (j) => href("jobs", [j.id], status ? { from: status } : {}),
    label: t("jobs.title"),
  });
  view.replaceChildren(pageHead(t("jobs.title")), h("p", { class: "muted" }, t("jobs.hint")), list);
}

async function showJob(view, ctx, id) {
  const { job } = await gql(JOB, { id });
  if (!ctx.current()) return;
  const from = ctx.params.get("from");
  const back = [href("jobs", [], from ? { status: from } : {}), t("jobs.title")];
  if (!job) {
    view.replaceChildren(pageHead(t("jobs.job"), { crumb: back }), state(t("jobs.notFound"), { error: true }));
    return;
  }
  draw(job);

  function draw(current) {
    const root = h("div");
    const actions = current.status === "DEAD"
      ? [button(t("jobs.retry"), async () => {
        const payload = await mutate(root, RETRY, { input: { id: current.id } });
        if (!payload) return;
        toast(t("jobs.retried"));
        draw(payload.job);
      })]
      : [];
    let args = current.arguments;
    try {
      args = JSON.stringify(JSON.parse(current.arguments), null, 2);
    } catch {
      /* shown as stored */
    }
    root.append(
      pageHead(current.task, { crumb: back, actions }),
      panel(null, facts([
        [t("jobs.status"), badge(current.status)],
        [t("jobs.key"), h("span", { class: "mono" }, current.key)],
        [t("jobs.attempts"), number(current.attempts)],
        [t("jobs.runAfter"), dateTime(current.runAfter)],
        [t("jobs.created"), dateTime(current.createdAt)],
        [t("jobs.updated"), dateTime(current.updatedAt)],
        [t("jobs.finished"), current.finishedAt ? dateTime(current.finishedAt) : null],
      ]), { attrs: { id: "job-facts" } }),
      panel(t("jobs.arguments"), h("pre", { class: "job-pre" }, args)),
      panel(t("jobs.lastError"), current.lastError ? h("pre", { class: "job-pre job-pre-error" }, current.lastError) : h("p", { class: "muted" }, t("jobs.noError"))));
    view.replaceChildren(root);
  }
}
