//! The integration tests: one binary that starts the real server on free ports (in-process
//! or as the `cartable` program) and talks to it as a browser or a script would.

mod admin;
mod admin_walk;
mod apps_proxy;
mod auth;
mod backup;
mod cli;
mod dav;
mod dav_homework;
mod files;
mod forum;
mod forum_web;
mod forum_xss;
mod homework;
mod idp_bad_input;
mod idp_cas;
mod idp_logout;
mod idp_oidc;
mod idp_registry;
mod mail_queue;
mod matrix;
mod pages;
mod props;
mod school_agenda;
mod school_attendance;
mod school_book;
mod school_news;
mod smtp;
mod smtp_hostile;
mod smtp_props;
mod startup;
mod support;
mod update;
mod upload_memory;
mod webmail;
mod xss_check;
